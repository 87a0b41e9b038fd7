-- Read counts: one row per article and day (in the site's time zone),
-- counted from the page's beacon with the same private de-duplication as
-- mood votes (see 0002_dedup.sql).
CREATE TABLE view_counts (
    article_id BIGINT NOT NULL REFERENCES articles(id),
    day BIGINT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (article_id, day)
);
CREATE INDEX view_counts_ranking ON view_counts (day);
