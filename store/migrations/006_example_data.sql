-- Example data (python -m store demo, or the first-start offer on the dashboard): fictitious records that
-- show what each view is for. Each such row is marked (example = TRUE), so every view and export can tell
-- it from a real one, and removing the example data deletes exactly those rows. Every row stored before
-- this migration is real.
ALTER TABLE at_reports ADD COLUMN example BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE requisitions ADD COLUMN example BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE payouts ADD COLUMN example BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE usage_reports ADD COLUMN example BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE ombud ADD COLUMN example BOOLEAN NOT NULL DEFAULT FALSE;

-- The rounds that hold example data: when, by whom and with which random seed they were made.
CREATE TABLE example_data (
    round_id  VARCHAR   PRIMARY KEY,
    loaded_at TIMESTAMP NOT NULL,
    actor     VARCHAR   NOT NULL,
    seed      INTEGER   NOT NULL
);
