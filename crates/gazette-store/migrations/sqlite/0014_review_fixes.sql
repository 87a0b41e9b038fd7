-- Articles published before review existed are what readers see: their
-- latest version is live, not being written.
UPDATE articles SET review_state = 'live'
WHERE status = 'published' AND review_state = 'editing' AND head_revision IS NULL;

-- A level of a round is passed or sent back once: a rejection and an
-- approval of the same level at once cannot both stand.
DROP INDEX review_events_level;
CREATE UNIQUE INDEX review_events_level ON review_events (article_id, round, level)
    WHERE kind IN ('approved', 'signed_off', 'rejected');
