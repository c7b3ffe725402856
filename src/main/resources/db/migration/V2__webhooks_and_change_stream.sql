-- wabasync schema, version 2: Meta's template webhooks and the live stream of template changes.

-- How new each stored field's state is. A state replaces the stored one only when it is at least as
-- new: a webhook is as new as the end of its event's second (Meta's time is whole seconds), a sync's
-- read as new as the moment its job started. So a late delivery of an old event, or a sync page read
-- before a webhook arrived, never overwrites a newer state. NULL = older than anything.
ALTER TABLE template
    ADD COLUMN status_as_of   timestamptz,
    ADD COLUMN quality_as_of  timestamptz,
    ADD COLUMN category_as_of timestamptz;
UPDATE template SET status_as_of = updated_at, quality_as_of = updated_at, category_as_of = updated_at;

-- A webhook names its WABA; several numbers may share one.
CREATE INDEX channel_waba ON channel (waba_id);

-- The webhook inbox. A signed delivery is stored here before Meta gets its 200, then applied; a
-- delivery stays PENDING, retried with a growing delay, until it is applied: none is dropped. The
-- digest of the raw body makes Meta's redeliveries (it retries for 36 hours) land on the same row.
CREATE TABLE webhook_delivery (
    id               uuid PRIMARY KEY,
    body_sha256      text        NOT NULL UNIQUE,
    body             text        NOT NULL,
    changes          integer     NOT NULL,
    received_at      timestamptz NOT NULL,
    -- PENDING until applied, then APPLIED.
    status           text        NOT NULL,
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    applied_at       timestamptz,
    last_error       text,
    -- The delivery named templates we did not have, and full syncs of their channels were started:
    -- it is applied again once they have ended, when those templates are there.
    syncs_started    boolean     NOT NULL DEFAULT false
);
CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX webhook_delivery_applied ON webhook_delivery (applied_at) WHERE status = 'APPLIED';

-- Every template change is announced on one channel with NOTIFY, from inside the transaction that
-- makes it: PostgreSQL delivers it to every listening replica only if that transaction commits.
CREATE FUNCTION wabasync_template_change_notify(changed_template uuid, changed_field text, old_value text,
        new_value text, change_source text, changed_at timestamptz, event_id uuid) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    t record;
BEGIN
    SELECT id, workspace_id, channel_id, provider_id, name, language, status INTO t
    FROM template WHERE id = changed_template;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    -- NOTIFY payloads stop at 8000 bytes: names are cut well below that.
    PERFORM pg_notify('wabasync_template_changes', json_build_object(
        'id', event_id,
        'workspace_id', t.workspace_id,
        'channel_id', t.channel_id,
        'template_id', t.id,
        'provider_id', t.provider_id,
        'name', left(t.name, 1024),
        'language', left(t.language, 64),
        'field', changed_field,
        'old_status', CASE WHEN changed_field = 'status' THEN old_value ELSE t.status END,
        'new_status', CASE WHEN changed_field = 'status' THEN new_value ELSE t.status END,
        'old_value', old_value,
        'new_value', new_value,
        'source', change_source,
        'changed_at', changed_at)::text);
END
$$;

-- Status changes are announced by the history row every writer already adds (sync, reconciliation,
-- webhook), so no writer can forget to.
CREATE FUNCTION wabasync_template_status_history_notify() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM wabasync_template_change_notify(NEW.template_id, 'status', NEW.from_status, NEW.to_status, NEW.source,
        NEW.changed_at, NEW.id);
    RETURN NULL;
END
$$;

CREATE TRIGGER template_status_history_notify AFTER INSERT ON template_status_history
    FOR EACH ROW EXECUTE FUNCTION wabasync_template_status_history_notify();

-- A template a complete sync no longer finds at Meta is marked removed, and restored if it comes
-- back: both are changes clients see.
CREATE FUNCTION wabasync_template_removal_notify() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM wabasync_template_change_notify(NEW.id, 'removed', (OLD.removed_at IS NOT NULL)::text,
        (NEW.removed_at IS NOT NULL)::text, 'SYNC', NEW.updated_at, gen_random_uuid());
    RETURN NULL;
END
$$;

CREATE TRIGGER template_removal_notify AFTER UPDATE OF removed_at ON template
    FOR EACH ROW WHEN ((OLD.removed_at IS NULL) <> (NEW.removed_at IS NULL))
    EXECUTE FUNCTION wabasync_template_removal_notify();
