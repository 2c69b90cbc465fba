-- Frozen decisions: every decision of a round as an immutable snapshot (canonical JSON with its
-- SHA-256), an amendment (ändringsbeslut) naming the decision it changes; the recipients' payment
-- details; payment runs, and which decision or requisition each payout line pays.
CREATE SEQUENCE decision_snapshot_seq;
CREATE TABLE decision_snapshots (
    id           BIGINT    PRIMARY KEY DEFAULT nextval('decision_snapshot_seq'),
    round_id     VARCHAR   NOT NULL,
    kind         VARCHAR   NOT NULL CHECK (kind IN ('beslut', 'ändringsbeslut')),
    supersedes   BIGINT,   -- the decision this one changes (an amendment); NULL for the first
    reference    VARCHAR   NOT NULL,
    published_on DATE      NOT NULL,
    decided_by   VARCHAR   NOT NULL,
    decided_at   TIMESTAMP NOT NULL,
    migrated     BOOLEAN   NOT NULL DEFAULT FALSE,  -- taken when an earlier published decision was migrated
    content_hash VARCHAR   NOT NULL,
    snapshot     VARCHAR   NOT NULL,
    UNIQUE (supersedes),   -- a decision is changed once; a later change names the amendment
    CHECK ((kind = 'beslut') = (supersedes IS NULL))
);

-- Organisation number and bankgiro per recipient, entered or imported by staff (never invented).
CREATE TABLE payment_details (
    code       VARCHAR   PRIMARY KEY,
    org_number VARCHAR   NOT NULL,  -- NNNNNN-NNNN, Luhn-checked
    bankgiro   VARCHAR   NOT NULL,  -- NNN-NNNN or NNNN-NNNN, Luhn-checked
    updated_at TIMESTAMP NOT NULL
);

-- A payment run: one decision's payout list (AT), or requisitions received up to a date (elderly care).
CREATE SEQUENCE payment_run_seq;
CREATE TABLE payment_runs (
    id          BIGINT    PRIMARY KEY DEFAULT nextval('payment_run_seq'),
    round_id    VARCHAR   NOT NULL,
    decision_id BIGINT,   -- the decision paid (AT); NULL for a run of requisitions
    up_to       DATE,     -- requisitions received up to this day (elderly care)
    paid_on     DATE      NOT NULL,
    reference   VARCHAR   NOT NULL,
    total       BIGINT    NOT NULL CHECK (total >= 0),
    recorded_at TIMESTAMP NOT NULL,
    recorded_by VARCHAR   NOT NULL
);

ALTER TABLE payouts ADD COLUMN run_id BIGINT;
ALTER TABLE payouts ADD COLUMN decision_id BIGINT;
ALTER TABLE payouts ADD COLUMN requisition_id BIGINT;
-- A requisition is paid once; a decision's line for a recipient is paid once per decision.
CREATE UNIQUE INDEX payouts_requisition_once ON payouts (requisition_id);
CREATE UNIQUE INDEX payouts_decision_once ON payouts (decision_id, code);
