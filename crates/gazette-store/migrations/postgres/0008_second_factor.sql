-- An optional second factor. A TOTP secret (RFC 6238) is kept pending until
-- a first code confirms it; the last time step accepted is kept so that a
-- code works once, on every node. Recovery codes are kept as hashes.
ALTER TABLE accounts ADD COLUMN totp_secret BYTEA;
ALTER TABLE accounts ADD COLUMN totp_pending BYTEA;
ALTER TABLE accounts ADD COLUMN totp_last_step BIGINT;

CREATE TABLE recovery_codes (
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    code_hash BYTEA NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (account_id, code_hash)
);

-- Sign-ins halfway: the password was right, the second factor is awaited.
-- Kept as a hash of the browser's secret, for five minutes.
CREATE TABLE pending_sign_ins (
    id_hash BYTEA PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL
);
