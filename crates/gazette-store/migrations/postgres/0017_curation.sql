-- Curation: a slot entry may start later as well as end; the four slots
-- pages show exist on every site (the demo fills two of them); a slot's
-- change is a change-log entry naming the slot.
ALTER TABLE slot_entries ADD COLUMN starts_at BIGINT;
ALTER TABLE changes ADD COLUMN slot_key TEXT;
INSERT INTO slots (key, name_zh, name_en, size_limit)
    SELECT 'headline', '头条', 'Headline', 1 WHERE NOT EXISTS (SELECT 1 FROM slots WHERE key = 'headline');
INSERT INTO slots (key, name_zh, name_en, size_limit)
    SELECT 'top-stories', '要闻', 'Top stories', 3 WHERE NOT EXISTS (SELECT 1 FROM slots WHERE key = 'top-stories');
INSERT INTO slots (key, name_zh, name_en, size_limit)
    SELECT 'visual-focus', '视觉焦点', 'Visual focus', 4 WHERE NOT EXISTS (SELECT 1 FROM slots WHERE key = 'visual-focus');
INSERT INTO slots (key, name_zh, name_en, size_limit)
    SELECT 'exclusive', '独家策划', 'Exclusive features', 6 WHERE NOT EXISTS (SELECT 1 FROM slots WHERE key = 'exclusive');
