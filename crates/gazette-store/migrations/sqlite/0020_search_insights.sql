-- What readers search for, counted like votes: per day and normalised
-- query, the number of distinct askers (each recognised for that day only
-- by a keyed hash in dedup_seen under the day's key) and whether the
-- query found anything. Nothing names who asked. A query is kept as a
-- keyed hash under the same key (gone with it after two days); its text
-- is written only once five distinct askers asked it that day, so a rare
-- query's words are never stored. Rows of fewer than five askers are
-- deleted when their day is over.
CREATE TABLE search_queries (
    day INTEGER NOT NULL,
    query_key BLOB NOT NULL,
    query TEXT,
    askers INTEGER NOT NULL,
    found INTEGER NOT NULL,
    PRIMARY KEY (day, query_key)
);
