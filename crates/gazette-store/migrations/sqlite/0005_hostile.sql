-- Secrets the site keeps for itself: the key that signs vote tokens. The
-- first node to start creates it; every node then reads the same one.
CREATE TABLE site_secrets (
    name TEXT PRIMARY KEY,
    value BLOB NOT NULL
);

-- Votes without a token are capped per network prefix, article and day.
-- A bucket is a keyed hash under the day's de-duplication key (nothing
-- names the network), deleted with that key.
CREATE TABLE dedup_caps (
    day INTEGER NOT NULL,
    hash BLOB NOT NULL,
    used INTEGER NOT NULL,
    PRIMARY KEY (day, hash)
);
