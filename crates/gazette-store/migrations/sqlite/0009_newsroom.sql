-- The newsroom writes: every save of an article is a revision, kept whole;
-- the article row is what readers see (for a draft, its latest revision).

-- The byline person of a staff account: articles credit people, and an
-- account's own articles (and those it is co-author of) are found through it.
ALTER TABLE accounts ADD COLUMN person_id INTEGER REFERENCES people(id);
CREATE UNIQUE INDEX accounts_person ON accounts (person_id);

-- Who started an article, when, and its latest revision (a save must name
-- it as its base, or it is a conflict). Demo and imported articles have none.
ALTER TABLE articles ADD COLUMN created_by INTEGER REFERENCES accounts(id);
ALTER TABLE articles ADD COLUMN created_at INTEGER;
ALTER TABLE articles ADD COLUMN head_revision INTEGER;
-- How the body is written: 'html' (the constrained body HTML) or
-- 'markdown' (content from before the editor; converted at start-up).
ALTER TABLE articles ADD COLUMN body_format TEXT NOT NULL DEFAULT 'markdown';
-- The back office's list: newest work first.
CREATE INDEX articles_worklist ON articles (updated_at DESC, id DESC);
CREATE INDEX articles_worklist_status ON articles (status, updated_at DESC, id DESC);
CREATE INDEX articles_created_by ON articles (created_by);

-- Every save: the whole editable article as JSON (the engine's
-- `ArticleDraft`), who saved it and how. Never updated, never deleted.
CREATE TABLE article_revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    created_at INTEGER NOT NULL,
    account_id INTEGER REFERENCES accounts(id),
    -- The name of who saved it, as it was then.
    actor TEXT NOT NULL,
    -- save, autosave, restore, create
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    content TEXT NOT NULL
);
CREATE INDEX article_revisions_article ON article_revisions (article_id, id DESC);

-- Links that show an article's latest revision to someone without an
-- account: kept as a hash, expiring, revocable.
CREATE TABLE preview_links (
    token_hash BLOB PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    created_by INTEGER REFERENCES accounts(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX preview_links_article ON preview_links (article_id);
