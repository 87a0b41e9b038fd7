-- The newsroom's accounts, their sessions and single-use links, the login
-- throttle's record of failures, and the audit log of staff actions.

-- A staff member. The email is kept lower-cased (one account per address);
-- names and affiliations in both languages, like the people of the content
-- model. No password until one is set through a link.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    affiliation_zh TEXT,
    affiliation_en TEXT,
    role TEXT NOT NULL,
    lang TEXT NOT NULL DEFAULT 'zh',
    password_hash TEXT,
    created_at INTEGER NOT NULL,
    disabled_at INTEGER
);

-- Signed-in browsers. Only a hash of the session id is kept: a copy of the
-- table signs nobody in. Each node reads this on every staff request, so a
-- revoked session is refused at once everywhere.
CREATE TABLE sessions (
    id_hash BLOB PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    -- "Chromium on Linux": enough for the owner to recognise the device.
    device TEXT NOT NULL,
    -- The network prefix signed in from (staff only, for security).
    prefix TEXT NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);

-- Single-use links that set a password: invitations and resets. Kept as a
-- hash; used_at is set on use, and a newer link for the same account
-- replaces older ones.
CREATE TABLE account_links (
    token_hash BLOB PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE INDEX account_links_account ON account_links (account_id);

-- Failed sign-ins of the last hours, for the throttle: by a keyed hash of
-- the address typed (known or not, the same) and by network prefix.
CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    email_hash BLOB NOT NULL,
    prefix TEXT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email_hash, at);
CREATE INDEX login_failures_prefix ON login_failures (prefix, at);

-- Every staff action: who, what, when, on what. The network prefix is
-- cleared after 90 days. Never a password.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    account_id INTEGER,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL,
    prefix TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
