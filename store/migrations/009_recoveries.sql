-- Amounts recovered (återkrav återbetalda): when an amendment lowers what a recipient has already been paid,
-- the difference is to be recovered; each repayment received is recorded here. What the round has paid a
-- recipient is its payouts less its recoveries, and never more than the decision in force gives it.
CREATE SEQUENCE recovery_seq;
CREATE TABLE recoveries (
    id          BIGINT    PRIMARY KEY DEFAULT nextval('recovery_seq'),
    round_id    VARCHAR   NOT NULL,
    code        VARCHAR   NOT NULL,
    decision_id BIGINT    NOT NULL,  -- the decision in force that made the amount recoverable
    received_on DATE      NOT NULL,
    amount      BIGINT    NOT NULL CHECK (amount > 0 AND amount <= 1000000000000),
    reference   VARCHAR   NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    recorded_by VARCHAR   NOT NULL,
    UNIQUE (round_id, code, reference)  -- a repayment is recorded once (a retried write changes nothing)
);
