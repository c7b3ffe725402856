-- The console's sign-in sessions. The browser holds only a random token in an HttpOnly cookie; the
-- row holds its SHA-256, so a copy of the table signs no one in. A session belongs to the API key it
-- was opened with: deleting the key ends its sessions at once, on every replica.
CREATE TABLE console_session (
    token_hash   text PRIMARY KEY,
    workspace_id uuid NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
    api_key_id   uuid NOT NULL REFERENCES api_key (id) ON DELETE CASCADE,
    -- The synchronizer token every console form carries (compared on each POST).
    csrf_token   text NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
);
CREATE INDEX console_session_expiry ON console_session (expires_at);
CREATE INDEX console_session_key ON console_session (api_key_id);

-- Failed sign-ins per client address, shared by the replicas: the limit holds across them.
CREATE TABLE console_sign_in_failure (
    address      text NOT NULL,
    failed_at    timestamptz NOT NULL
);
CREATE INDEX console_sign_in_failure_address ON console_sign_in_failure (address, failed_at);
