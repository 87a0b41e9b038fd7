-- Secrets the site keeps for itself: the key that signs vote tokens. The
-- first node to start creates it; every node then reads the same one.
CREATE TABLE site_secrets (
    name TEXT PRIMARY KEY,
    value BYTEA NOT NULL
);

-- Votes without a token are capped per network prefix, article and day.
-- A bucket is a keyed hash under the day's de-duplication key (nothing
-- names the network), deleted with that key.
CREATE TABLE dedup_caps (
    day BIGINT NOT NULL,
    hash BYTEA NOT NULL,
    used BIGINT NOT NULL,
    PRIMARY KEY (day, hash)
);
