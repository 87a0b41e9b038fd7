-- Special topics (专题) keep sections of hand-picked articles, in order,
-- shown above the topic's own list; a topic's change names the topic in
-- the change log.
CREATE TABLE topic_sections (
    id INTEGER PRIMARY KEY,
    topic_id INTEGER NOT NULL REFERENCES topics(id),
    position INTEGER NOT NULL,
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL
);
CREATE INDEX topic_sections_topic ON topic_sections (topic_id, position);
CREATE TABLE topic_section_entries (
    section_id INTEGER NOT NULL REFERENCES topic_sections(id),
    position INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    PRIMARY KEY (section_id, article_id)
);
ALTER TABLE changes ADD COLUMN topic_id INTEGER REFERENCES topics(id);
