-- Gazette content model, SQLite flavour. Forward-only: never edit a
-- migration that has shipped; add a new one.
CREATE TABLE channels (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES channels(id),
    slug TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX channels_sibling_slug ON channels (COALESCE(parent_id, 0), slug);

CREATE TABLE media (
    id INTEGER PRIMARY KEY,
    content_type TEXT NOT NULL,
    extension TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    affiliation TEXT
);

CREATE TABLE topics (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    channel_id INTEGER NOT NULL REFERENCES channels(id),
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    description_zh TEXT NOT NULL,
    description_en TEXT NOT NULL,
    cover_media_id INTEGER REFERENCES media(id)
);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    lang TEXT NOT NULL,
    slug TEXT NOT NULL,
    channel_id INTEGER NOT NULL REFERENCES channels(id),
    topic_id INTEGER REFERENCES topics(id),
    translation_group INTEGER,
    status TEXT NOT NULL,
    title TEXT NOT NULL,
    kicker TEXT,
    subtitle TEXT,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    source TEXT,
    published_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    retraction_note TEXT,
    cover_media_id INTEGER REFERENCES media(id),
    cover_alt TEXT,
    cover_caption TEXT,
    cover_credit TEXT
);
CREATE INDEX articles_listing ON articles (status, lang, published_at DESC, id DESC);
CREATE INDEX articles_channel ON articles (channel_id, published_at DESC);
CREATE INDEX articles_translation ON articles (translation_group);

CREATE TABLE article_credits (
    article_id INTEGER NOT NULL REFERENCES articles(id),
    role TEXT NOT NULL,
    position INTEGER NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people(id),
    PRIMARY KEY (article_id, role, position)
);
CREATE INDEX article_credits_person ON article_credits (person_id);

CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles(id),
    tag TEXT NOT NULL,
    PRIMARY KEY (article_id, tag)
);
CREATE INDEX article_tags_tag ON article_tags (tag);

CREATE TABLE slots (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    size_limit INTEGER NOT NULL
);

CREATE TABLE slot_entries (
    slot_id INTEGER NOT NULL REFERENCES slots(id),
    article_id INTEGER NOT NULL REFERENCES articles(id),
    position INTEGER NOT NULL,
    expires_at INTEGER,
    PRIMARY KEY (slot_id, article_id)
);

CREATE TABLE photo_items (
    id INTEGER PRIMARY KEY,
    lang TEXT NOT NULL,
    media_id INTEGER NOT NULL REFERENCES media(id),
    alt TEXT NOT NULL,
    caption TEXT NOT NULL,
    credit TEXT,
    article_id INTEGER REFERENCES articles(id),
    published_at INTEGER NOT NULL
);
CREATE INDEX photo_items_stream ON photo_items (lang, published_at DESC, id DESC);

-- Aggregate mood counts per article, mood and day (YYYYMMDD in the site's
-- zone). No row here says who voted.
CREATE TABLE mood_counts (
    article_id INTEGER NOT NULL REFERENCES articles(id),
    mood TEXT NOT NULL,
    day INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (article_id, mood, day)
);
CREATE INDEX mood_counts_ranking ON mood_counts (mood, day);
