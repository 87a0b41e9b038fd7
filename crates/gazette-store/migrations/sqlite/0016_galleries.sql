-- An article may be a photo gallery (组图): its body's figures are shown one
-- after another with a counter, every photo reachable without scripts.
ALTER TABLE articles ADD COLUMN kind TEXT NOT NULL DEFAULT 'story';
