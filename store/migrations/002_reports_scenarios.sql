-- AT region reports (latest per region; history is in the audit log) and saved scenarios.
CREATE TABLE at_reports (
    round_id         VARCHAR   NOT NULL,
    code             VARCHAR   NOT NULL,
    filled           INTEGER   NOT NULL CHECK (filled >= 0),
    started          INTEGER   NOT NULL CHECK (started >= 0),
    excluded         INTEGER   NOT NULL CHECK (excluded >= 0),
    planned_override VARCHAR,
    received         DATE      NOT NULL,
    source           VARCHAR   NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (round_id, code)
);

CREATE SEQUENCE scenario_seq;
CREATE TABLE scenarios (
    id            INTEGER   PRIMARY KEY DEFAULT nextval('scenario_seq'),
    name          VARCHAR   NOT NULL UNIQUE,
    author        VARCHAR   NOT NULL,
    created       TIMESTAMP NOT NULL,
    round_id      VARCHAR   NOT NULL,
    rules_version VARCHAR   NOT NULL,
    params        JSON      NOT NULL,
    inputs        JSON      NOT NULL,
    note          VARCHAR   NOT NULL DEFAULT ''
);
