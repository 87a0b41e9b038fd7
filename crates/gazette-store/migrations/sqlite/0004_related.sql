-- Related reading, computed from the articles' text, tags, topics and
-- dates whenever content changes (gazette-engine's related module): for
-- each article, its best candidates in order. Readers' pages keep only
-- those visible at the time they are built.
CREATE TABLE related_articles (
    article_id INTEGER NOT NULL REFERENCES articles(id),
    rank INTEGER NOT NULL,
    related_id INTEGER NOT NULL REFERENCES articles(id),
    PRIMARY KEY (article_id, rank)
);
