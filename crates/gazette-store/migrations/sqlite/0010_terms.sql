-- The newsroom's term list for proofreading: words to avoid (style rules)
-- or to check (legal and factual risks), each with a note for the writer.
CREATE TABLE style_terms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    term TEXT NOT NULL UNIQUE,
    avoid INTEGER NOT NULL,
    note TEXT NOT NULL,
    created_by INTEGER REFERENCES accounts(id),
    created_at INTEGER NOT NULL
);
