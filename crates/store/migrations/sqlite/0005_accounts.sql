-- Accounts: users who log in with a password, their browser sessions, login throttling, and a
-- lifecycle (ID, expiry, revocation, last use) for the API tokens of 0001.
--
-- Secrets are never stored: users keep an argon2id PHC string, sessions and tokens the SHA-256 of
-- their secret (and of the session's CSRF token). Times are RFC 3339 UTC text.

CREATE TABLE users (
    username             TEXT NOT NULL PRIMARY KEY,
    password_hash        TEXT NOT NULL,
    role                 TEXT NOT NULL,
    party_id             TEXT,
    region               TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    password_changed_at  TEXT NOT NULL,
    disabled_at          TEXT
);
CREATE INDEX users_party ON users (party_id);

CREATE TABLE sessions (
    id            TEXT NOT NULL PRIMARY KEY,
    secret_hash   TEXT NOT NULL UNIQUE,
    csrf_hash     TEXT NOT NULL,
    username      TEXT NOT NULL REFERENCES users (username),
    role          TEXT NOT NULL,
    party_id      TEXT,
    region        TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    revoked_at    TEXT,
    address       TEXT
);
CREATE INDEX sessions_user ON sessions (username);
CREATE INDEX sessions_party ON sessions (party_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- One row per failed login, keyed `user:<name>` and `addr:<ip>`; rows older than the window are
-- pruned as new ones arrive.
CREATE TABLE login_failures (
    key  TEXT NOT NULL,
    at   TEXT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);

-- Existing tokens keep working: each gets an ID derived from its hash and expires 90 days after
-- this migration runs.
ALTER TABLE api_tokens ADD COLUMN id TEXT;
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
ALTER TABLE api_tokens ADD COLUMN revoked_at TEXT;
ALTER TABLE api_tokens ADD COLUMN last_used_at TEXT;
ALTER TABLE api_tokens ADD COLUMN created_by TEXT;
UPDATE api_tokens
   SET id = 'tok_' || substr(token_hash, 1, 16),
       expires_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+90 days');
CREATE UNIQUE INDEX api_tokens_id ON api_tokens (id);
CREATE INDEX api_tokens_party ON api_tokens (party_id);
