-- Reports for every round: a round's rules name what its recipients report (allocation.report_values).
-- Positions filled, started and excluded keep their columns; any other value a round's blocks name is kept
-- as exact decimal text in other_values (a JSON object: key -> text). A round that reports none of the
-- three leaves them empty (NULL) rather than writing a 0 nobody reported.
ALTER TABLE at_reports ADD COLUMN other_values VARCHAR NOT NULL DEFAULT '{}';
ALTER TABLE at_reports ALTER COLUMN filled DROP NOT NULL;
ALTER TABLE at_reports ALTER COLUMN started DROP NOT NULL;
ALTER TABLE at_reports ALTER COLUMN excluded DROP NOT NULL;
