-- Publishing: scheduled publications and take-downs, and the public update
-- log of every published change after the first publication.

-- A publication or take-down due at a time. A scheduled publication names
-- the review round and revision that were signed off: if either moved
-- since, it is void, never run on content nobody signed off. Each job is
-- done at most once: the node that runs it marks it done in the same
-- transaction as the change, with a condition only one node can meet.
CREATE TABLE publish_jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    -- publish, take_down
    action TEXT NOT NULL,
    due_at INTEGER NOT NULL,
    round INTEGER,
    head_revision INTEGER,
    created_by INTEGER REFERENCES accounts(id),
    created_at INTEGER NOT NULL,
    done_at INTEGER,
    -- done, void (the article moved on), cancelled
    outcome TEXT
);
CREATE INDEX publish_jobs_due ON publish_jobs (due_at) WHERE done_at IS NULL;
CREATE INDEX publish_jobs_article ON publish_jobs (article_id);

-- The public update log (更新记录): every publication of a live article,
-- with the public fields before and after (JSON: title, subtitle,
-- summary, body text) so that readers can see what changed. A minor edit
-- without a correction stays out of the log; a correction (更正) always
-- shows. Passages redacted for legal or privacy reasons are cut from these
-- copies, not from the newsroom's revisions.
CREATE TABLE article_updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    at INTEGER NOT NULL,
    minor INTEGER NOT NULL,
    correction TEXT,
    text_before TEXT NOT NULL,
    text_after TEXT NOT NULL,
    account_id INTEGER REFERENCES accounts(id),
    redactions INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX article_updates_article ON article_updates (article_id, id);
