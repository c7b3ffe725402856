-- wabasync schema, version 4: templates created through wabasync.

-- Idempotency-Key: a request repeated with the same key gets the first answer, and Meta is not
-- called again. IN_PROGRESS while the first request runs, or after it ended without knowing what
-- Meta did (the next attempt then asks Meta first); DONE with the answer. Kept 24 hours.
CREATE TABLE idempotency_key (
    workspace_id     uuid        NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
    key              text        NOT NULL,
    request_sha256   text        NOT NULL,
    state            text        NOT NULL,
    response_status  integer,
    response_body    text,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, key)
);
CREATE INDEX idempotency_key_created ON idempotency_key (created_at);

-- Edits made through wabasync, to keep to Meta's limits before asking Meta: an approved template
-- can be edited once in 24 hours and 10 times in 30 days.
CREATE TABLE template_edit (
    id            uuid PRIMARY KEY,
    template_id   uuid        NOT NULL REFERENCES template (id) ON DELETE CASCADE,
    edited_at     timestamptz NOT NULL,
    was_approved  boolean     NOT NULL
);
CREATE INDEX template_edit_template ON template_edit (template_id, edited_at);

-- An edited template is UPDATING (LancePilot's word) until Meta's verdict: the scheduler reads it too.
DROP INDEX template_channel_waiting;
CREATE INDEX template_channel_waiting ON template (channel_id, provider_id)
    WHERE status IN ('PENDING', 'IN_APPEAL', 'PENDING_DELETION', 'UPDATING') AND removed_at IS NULL;

-- A delete is a durable job (kind DELETE) of the template's channel: the template it deletes is named
-- here. A DELETE job whose instance died is taken over by another one and completed, not failed.
ALTER TABLE sync_job ADD COLUMN template_id uuid REFERENCES template (id) ON DELETE CASCADE;
CREATE INDEX sync_job_delete_running ON sync_job (heartbeat_at) WHERE kind = 'DELETE' AND status = 'RUNNING';
CREATE UNIQUE INDEX sync_job_one_delete ON sync_job (template_id) WHERE kind = 'DELETE' AND status = 'RUNNING';

-- A template leaves the lists either because a complete sync no longer found it at Meta, or because
-- a delete made through wabasync ended (it is DELETED then): the announcement says which.
CREATE OR REPLACE FUNCTION wabasync_template_removal_notify() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM wabasync_template_change_notify(NEW.id, 'removed', (OLD.removed_at IS NOT NULL)::text,
        (NEW.removed_at IS NOT NULL)::text, CASE WHEN NEW.status = 'DELETED' THEN 'API' ELSE 'SYNC' END,
        NEW.updated_at, gen_random_uuid());
    RETURN NULL;
END
$$;
