-- Review and sign-off (审核): how many levels each channel has and who does
-- each, every step an article takes through them, and which sign-off the
-- public page credits as its 责编.

-- A channel's review levels (1 to 3; the last one is the sign-off). A level
-- is done by a role, or, when it lists members, by those accounts only.
-- A channel without rows takes its parent's; the root default is one level
-- signed off by a responsible editor.
CREATE TABLE review_levels (
    channel_id INTEGER NOT NULL REFERENCES channels(id),
    level INTEGER NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (channel_id, level)
);
CREATE TABLE review_level_members (
    channel_id INTEGER NOT NULL REFERENCES channels(id),
    level INTEGER NOT NULL,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    PRIMARY KEY (channel_id, level, account_id)
);

-- Every review step: submitted, approved (a level), signed_off (the last
-- level), rejected (with a comment), published. Each step belongs to a
-- round: every edit after a submission starts a new round, which voids
-- the approvals of the old one. The actor's names are a snapshot, kept if
-- the account is renamed or removed: a signed_off row is the page's 责编.
-- Never updated, never deleted.
CREATE TABLE review_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    revision_id INTEGER REFERENCES article_revisions(id),
    round INTEGER NOT NULL,
    kind TEXT NOT NULL,
    level INTEGER,
    account_id INTEGER REFERENCES accounts(id),
    person_id INTEGER REFERENCES people(id),
    name_zh TEXT NOT NULL,
    name_en TEXT,
    comment TEXT,
    at INTEGER NOT NULL
);
CREATE INDEX review_events_article ON review_events (article_id, id);
-- The database keeps each level of a round to one approval, and one
-- approval per person per round: two reviewers at once cannot both pass
-- the same level, nor one person pass two.
CREATE UNIQUE INDEX review_events_level ON review_events (article_id, round, level)
    WHERE kind IN ('approved', 'signed_off');
CREATE UNIQUE INDEX review_events_reviewer ON review_events (article_id, round, account_id)
    WHERE kind IN ('approved', 'signed_off');

-- Where the article's latest revision is in review: editing, submitted,
-- rejected, approved (signed off, to be published). The round its steps
-- belong to; the revision readers see; the sign-off credited on the page.
ALTER TABLE articles ADD COLUMN review_state TEXT NOT NULL DEFAULT 'editing';
ALTER TABLE articles ADD COLUMN review_round INTEGER NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN live_revision INTEGER REFERENCES article_revisions(id);
ALTER TABLE articles ADD COLUMN signoff_event INTEGER REFERENCES review_events(id);

-- The 责编 of existing articles was a credit; it becomes a sign-off
-- snapshot of that person's names.
INSERT INTO review_events (article_id, round, kind, level, person_id, name_zh, name_en, at)
SELECT c.article_id, 0, 'signed_off', 1, p.id, p.name, p.name_en, a.published_at
FROM article_credits c
JOIN people p ON p.id = c.person_id
JOIN articles a ON a.id = c.article_id
WHERE c.role = 'responsible_editor'
  AND c.position = (SELECT MIN(c2.position) FROM article_credits c2
                    WHERE c2.article_id = c.article_id AND c2.role = 'responsible_editor');
UPDATE articles SET signoff_event = (
    SELECT MAX(e.id) FROM review_events e
    WHERE e.article_id = articles.id AND e.kind = 'signed_off');
DELETE FROM article_credits WHERE role = 'responsible_editor';
