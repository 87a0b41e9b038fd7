-- De-duplication of votes (and later views) without personal data. Each day
-- has one random key; a reader's vote is remembered only as a keyed hash
-- under that day's key. Keys and hashes older than 48 hours are deleted,
-- after which nothing links any hash to anyone.
CREATE TABLE dedup_keys (
    day INTEGER PRIMARY KEY,
    key BLOB NOT NULL
);

CREATE TABLE dedup_seen (
    day INTEGER NOT NULL,
    hash BLOB NOT NULL,
    PRIMARY KEY (day, hash)
);
