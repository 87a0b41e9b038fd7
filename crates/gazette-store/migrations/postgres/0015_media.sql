-- The media library: uploads with their caption, alt text, credit and
-- licence; responsive variants made off the request path (claimed by one
-- node at a time, for a while); deletion for rights claims as a tombstone
-- (the row stays so that pages can show a placeholder; its bytes and
-- every variant go).
ALTER TABLE media ADD COLUMN hash TEXT NOT NULL DEFAULT '';
ALTER TABLE media ADD COLUMN caption TEXT NOT NULL DEFAULT '';
ALTER TABLE media ADD COLUMN alt TEXT NOT NULL DEFAULT '';
ALTER TABLE media ADD COLUMN credit TEXT NOT NULL DEFAULT '';
ALTER TABLE media ADD COLUMN licence TEXT NOT NULL DEFAULT '';
ALTER TABLE media ADD COLUMN uploaded_by BIGINT REFERENCES accounts(id);
ALTER TABLE media ADD COLUMN animated BIGINT NOT NULL DEFAULT 0;
-- none (drawn by the program: SVG), pending, ready
ALTER TABLE media ADD COLUMN variants TEXT NOT NULL DEFAULT 'none';
ALTER TABLE media ADD COLUMN claimed_until BIGINT;
ALTER TABLE media ADD COLUMN deleted_at BIGINT;
ALTER TABLE media ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX media_pending ON media (id) WHERE variants = 'pending';
CREATE INDEX media_created ON media (created_at, id);

CREATE TABLE media_variants (
    media_id BIGINT NOT NULL REFERENCES media(id),
    -- webp, jpg, png; card for the share card
    format TEXT NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    hash TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    PRIMARY KEY (media_id, format, width)
);

-- A photo replaced, deleted or re-captioned: pages that show it.
ALTER TABLE changes ADD COLUMN media_id BIGINT REFERENCES media(id);
