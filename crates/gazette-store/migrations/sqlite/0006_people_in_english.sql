-- People in both languages: English pages show a person's English name and
-- affiliation when they have one (the Chinese ones otherwise).
ALTER TABLE people ADD COLUMN name_en TEXT;
ALTER TABLE people ADD COLUMN affiliation_en TEXT;
