-- One counter that every write transaction bumps (in PostgreSQL, where several dashboard processes share
-- the store): each process compares it with the value it last saw and drops its read cache when another
-- process has written. One row, always.
CREATE TABLE store_generation (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation BIGINT  NOT NULL
);
INSERT INTO store_generation VALUES (1, 0);
