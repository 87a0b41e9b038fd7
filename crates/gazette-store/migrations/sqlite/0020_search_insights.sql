-- What readers search for, counted like votes: per day and normalised
-- query, the number of distinct askers (each recognised for that day only
-- by a keyed hash in dedup_seen under the day's key) and whether the
-- query found anything. Nothing names who asked. A query fewer than five
-- asked on a day is never shown and is deleted when the day is over.
CREATE TABLE search_queries (
    day INTEGER NOT NULL,
    query TEXT NOT NULL,
    askers INTEGER NOT NULL,
    found INTEGER NOT NULL,
    PRIMARY KEY (day, query)
);
