-- Who may log in and with which role (staff manage it on the admin page; every change is audited),
-- and the published decisions that make a round's per-region data visible to every region.
CREATE TABLE users (
    login      VARCHAR   PRIMARY KEY,  -- the e-mail address (lower case) or the OIDC subject
    name       VARCHAR   NOT NULL,
    role       VARCHAR   NOT NULL CHECK (role IN ('handläggare', 'chef', 'region')),
    region     VARCHAR,
    active     BOOLEAN   NOT NULL DEFAULT TRUE,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((role = 'region') = (region IS NOT NULL))
);

CREATE TABLE decisions (
    round_id     VARCHAR   PRIMARY KEY,
    published_on DATE      NOT NULL,
    reference    VARCHAR   NOT NULL,
    recorded_at  TIMESTAMP NOT NULL
);
