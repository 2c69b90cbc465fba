-- Rounds with versions saved by staff: who saved each version, and the order of saving (the newest
-- saved version is the round's current one, whatever the clock said). Every existing row is kept: it
-- was loaded from data/ by the system, and is numbered in the order it was loaded.
ALTER TABLE rounds ADD COLUMN saved_by VARCHAR NOT NULL DEFAULT 'system';
ALTER TABLE rounds ADD COLUMN saved_seq BIGINT;
UPDATE rounds SET saved_seq = loaded.n
FROM (SELECT id, version, row_number() OVER (ORDER BY loaded_at, id, version) AS n FROM rounds) AS loaded
WHERE rounds.id = loaded.id AND rounds.version = loaded.version;
