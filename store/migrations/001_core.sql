-- Regions, population by date, grant rounds (their rules file as loaded), milestones,
-- planned positions as entered, and the audit log.
CREATE TABLE regions (
    code      VARCHAR PRIMARY KEY,
    name      VARCHAR NOT NULL,
    seed_name VARCHAR NOT NULL,
    aliases   VARCHAR NOT NULL DEFAULT ''
);

CREATE TABLE population (
    code       VARCHAR NOT NULL,
    date       DATE    NOT NULL,
    population INTEGER NOT NULL CHECK (population > 0),
    source     VARCHAR NOT NULL,
    PRIMARY KEY (code, date)
);

CREATE TABLE rounds (
    id          VARCHAR   NOT NULL,
    version     VARCHAR   NOT NULL,
    kind        VARCHAR   NOT NULL,
    title       VARCHAR   NOT NULL,
    dnr         VARCHAR   NOT NULL,
    rules_toml  VARCHAR   NOT NULL,
    source_file VARCHAR   NOT NULL,
    loaded_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (id, version)
);

CREATE TABLE milestones (
    round_id      VARCHAR NOT NULL,
    round_version VARCHAR NOT NULL,
    id            VARCHAR NOT NULL,
    label         VARCHAR NOT NULL,
    start_date    DATE,
    due           DATE,
    after_date    DATE,
    expected      BOOLEAN NOT NULL,
    section       VARCHAR NOT NULL,
    quote         VARCHAR NOT NULL,
    PRIMARY KEY (round_id, round_version, id)
);

CREATE TABLE planned_positions (
    round_id VARCHAR NOT NULL,
    code     VARCHAR NOT NULL,
    planned  VARCHAR NOT NULL,  -- as entered: "28" or "1-5"
    source   VARCHAR NOT NULL,
    PRIMARY KEY (round_id, code)
);

CREATE SEQUENCE audit_seq;
CREATE TABLE audit_log (
    id         BIGINT    PRIMARY KEY DEFAULT nextval('audit_seq'),
    logged_at  TIMESTAMP NOT NULL,
    actor      VARCHAR   NOT NULL,
    role       VARCHAR   NOT NULL,
    action     VARCHAR   NOT NULL,
    entity     VARCHAR   NOT NULL,
    entity_key VARCHAR   NOT NULL,
    reason     VARCHAR   NOT NULL,
    before     JSON,
    after      JSON
);
