-- An optional second factor. A TOTP secret (RFC 6238) is kept pending until
-- a first code confirms it; the last time step accepted is kept so that a
-- code works once, on every node. Recovery codes are kept as hashes.
ALTER TABLE accounts ADD COLUMN totp_secret BLOB;
ALTER TABLE accounts ADD COLUMN totp_pending BLOB;
ALTER TABLE accounts ADD COLUMN totp_last_step INTEGER;

CREATE TABLE recovery_codes (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    code_hash BLOB NOT NULL,
    used_at INTEGER,
    PRIMARY KEY (account_id, code_hash)
);

-- Sign-ins halfway: the password was right, the second factor is awaited.
-- Kept as a hash of the browser's secret, for five minutes.
CREATE TABLE pending_sign_ins (
    id_hash BLOB PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
);
