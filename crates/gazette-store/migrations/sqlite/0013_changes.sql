-- The change log: every change readers can see, with a monotonic sequence
-- number. Each node's page cache (and later its search index and the
-- static export) follows it: a node catches up from the last number it
-- applied, after a restart or a lost connection, rather than guessing.
-- Appended in the transaction of the change itself; on PostgreSQL under a
-- transaction-scoped advisory lock, so numbers commit in order, with a
-- NOTIFY that wakes the other nodes.
CREATE TABLE changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    -- published, retracted, taken_down, redacted, created, moved
    kind TEXT NOT NULL,
    article_id INTEGER REFERENCES articles(id)
);
