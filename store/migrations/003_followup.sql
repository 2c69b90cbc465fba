-- Follow-up of fixed-amount rounds: amounts per region (estimate or official), ombud approvals,
-- requisitions, payouts and reports on the use of funds.
CREATE TABLE fixed_amounts (
    round_id VARCHAR NOT NULL,
    code     VARCHAR NOT NULL,
    amount   BIGINT  NOT NULL CHECK (amount >= 0),
    basis    VARCHAR NOT NULL CHECK (basis IN ('estimate', 'official')),
    source   VARCHAR NOT NULL,
    PRIMARY KEY (round_id, code)
);

CREATE TABLE ombud (
    code        VARCHAR   PRIMARY KEY,
    approved_on DATE      NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);

CREATE SEQUENCE requisition_seq;
CREATE TABLE requisitions (
    id          BIGINT    PRIMARY KEY DEFAULT nextval('requisition_seq'),
    round_id    VARCHAR   NOT NULL,
    code        VARCHAR   NOT NULL,
    received    DATE      NOT NULL,
    amount      BIGINT    NOT NULL CHECK (amount >= 0),
    reference   VARCHAR   NOT NULL DEFAULT '',
    source      VARCHAR   NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    UNIQUE (round_id, code, received, amount, reference)
);

CREATE SEQUENCE payout_seq;
CREATE TABLE payouts (
    id          BIGINT    PRIMARY KEY DEFAULT nextval('payout_seq'),
    round_id    VARCHAR   NOT NULL,
    code        VARCHAR   NOT NULL,
    paid_on     DATE      NOT NULL,
    amount      BIGINT    NOT NULL CHECK (amount >= 0),
    reference   VARCHAR   NOT NULL DEFAULT '',
    recorded_at TIMESTAMP NOT NULL
);

CREATE TABLE usage_reports (
    round_id    VARCHAR   NOT NULL,
    code        VARCHAR   NOT NULL,
    received    DATE      NOT NULL,
    reference   VARCHAR   NOT NULL DEFAULT '',
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (round_id, code)
);
