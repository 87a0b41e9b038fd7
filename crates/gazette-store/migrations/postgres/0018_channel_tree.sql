-- Managing the channel tree: a retired channel leaves the tree (its
-- articles and topics moved to another first), and every path a channel
-- had (before a rename, a move or its retirement) keeps redirecting.
ALTER TABLE channels ADD COLUMN retired_at BIGINT;
CREATE TABLE channel_redirects (
    path TEXT PRIMARY KEY,
    channel_id BIGINT NOT NULL REFERENCES channels(id)
);
