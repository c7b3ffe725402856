-- Every change the live stream announces is also kept, in the transaction that makes it, in an
-- append-only log: a reconnecting stream replays from it, and outbound webhooks are delivered from it.
--
-- A client resumes after the last sequence number it saw, so within a workspace the numbers must
-- become visible in the order they are given: a number taken early by a transaction that commits
-- late would otherwise be skipped by a client that already saw a higher one. The number is therefore
-- given at commit (a deferred trigger), under a lock per workspace held only until that commit. As
-- the last thing a transaction does, the lock cannot close a cycle with row locks; only two
-- transactions that each change two workspaces, in opposite orders, could deadlock on it, and
-- PostgreSQL then fails one of them, which its writer retries like any failed write.
CREATE SEQUENCE template_change_seq;

CREATE TABLE template_change_log (
    event_id     uuid        PRIMARY KEY,
    seq          bigint      UNIQUE,
    workspace_id uuid        NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
    -- No reference: the log outlives a template whose channel is disconnected.
    template_id  uuid        NOT NULL,
    event_type   text        NOT NULL,
    change       jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX template_change_log_replay ON template_change_log (workspace_id, seq);
CREATE INDEX template_change_log_age ON template_change_log (created_at);

-- Up to which sequence number a workspace's log was cut by retention: a client that asks for
-- anything after an older number may have missed changes and must re-read the lists.
CREATE TABLE template_change_log_pruned (
    workspace_id uuid   PRIMARY KEY REFERENCES workspace (id) ON DELETE CASCADE,
    through_seq  bigint NOT NULL
);

-- The customer's endpoints. The secret is encrypted like Meta access tokens; during a rotation the
-- previous one also signs until previous_secret_until.
CREATE TABLE outbound_endpoint (
    id                    uuid        PRIMARY KEY,
    workspace_id          uuid        NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
    url                   text        NOT NULL,
    description           text,
    -- Empty: every event type.
    event_types           text[]      NOT NULL DEFAULT '{}',
    enabled               boolean     NOT NULL DEFAULT true,
    secret                bytea       NOT NULL,
    previous_secret       bytea,
    previous_secret_until timestamptz,
    failing_since         timestamptz,
    disabled_reason       text,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL
);
CREATE INDEX outbound_endpoint_workspace ON outbound_endpoint (workspace_id);

-- One row per event and endpoint, written with the log entry. A delivery in flight is leased to the
-- instance sending it; a lease that runs out (the instance died) lets another instance send it again,
-- with the same id, so the receiver can drop the duplicate.
CREATE TABLE outbound_delivery (
    id               uuid        PRIMARY KEY,
    endpoint_id      uuid        NOT NULL REFERENCES outbound_endpoint (id) ON DELETE CASCADE,
    change_seq       bigint      NOT NULL,
    template_id      uuid        NOT NULL,
    event_type       text        NOT NULL,
    status           text        NOT NULL DEFAULT 'PENDING',
    attempts         integer     NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    leased_until     timestamptz,
    leased_by        text,
    -- Fixed at the first attempt: every attempt sends the same bytes.
    body             text,
    delivered_at     timestamptz,
    last_status_code integer,
    last_error       text
);
CREATE INDEX outbound_delivery_due ON outbound_delivery (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX outbound_delivery_order ON outbound_delivery (endpoint_id, template_id, change_seq)
    WHERE status = 'PENDING';
CREATE INDEX outbound_delivery_log ON outbound_delivery (endpoint_id, change_seq DESC);
CREATE INDEX outbound_delivery_finished ON outbound_delivery (created_at) WHERE status <> 'PENDING';

CREATE TABLE outbound_attempt (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id      uuid        NOT NULL REFERENCES outbound_delivery (id) ON DELETE CASCADE,
    attempted_at     timestamptz NOT NULL,
    status_code      integer,
    latency_ms       integer     NOT NULL,
    response_excerpt text,
    error            text,
    instance         text
);
CREATE INDEX outbound_attempt_delivery ON outbound_attempt (delivery_id, id);

-- The announcement of V2, now written to the log; numbering, outbox rows and NOTIFY follow at commit.
CREATE OR REPLACE FUNCTION wabasync_template_change_notify(changed_template uuid, changed_field text, old_value text,
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
    INSERT INTO template_change_log (event_id, workspace_id, template_id, event_type, change)
    VALUES (event_id, t.workspace_id, t.id,
        CASE changed_field
            WHEN 'status' THEN CASE WHEN old_value IS NULL THEN 'template.created' ELSE 'template.status_updated' END
            WHEN 'quality_score' THEN 'template.quality_updated'
            WHEN 'category' THEN 'template.category_updated'
            WHEN 'components' THEN 'template.components_updated'
            WHEN 'removed' THEN CASE WHEN new_value = 'true' THEN 'template.deleted' ELSE 'template.restored' END
            ELSE 'template.' || changed_field || '_updated'
        END,
        jsonb_build_object(
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
            'changed_at', changed_at))
    ON CONFLICT DO NOTHING;
END
$$;

-- At commit: the sequence number (in commit order within the workspace), one outbox row per
-- matching endpoint, and the NOTIFY the live streams of every replica receive.
CREATE FUNCTION wabasync_template_change_commit() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    number bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(20261130, hashtext(NEW.workspace_id::text));
    number := nextval('template_change_seq');
    UPDATE template_change_log SET seq = number WHERE event_id = NEW.event_id;
    INSERT INTO outbound_delivery (id, endpoint_id, change_seq, template_id, event_type)
    SELECT gen_random_uuid(), e.id, number, NEW.template_id, NEW.event_type
    FROM outbound_endpoint e
    -- An endpoint the service disabled (it kept failing) still collects its events, to be sent once it
    -- is enabled again; one its owner disabled does not.
    WHERE e.workspace_id = NEW.workspace_id AND (e.enabled OR e.disabled_reason IS NOT NULL)
      AND (cardinality(e.event_types) = 0 OR NEW.event_type = ANY (e.event_types));
    PERFORM pg_notify('wabasync_template_changes',
        (NEW.change || jsonb_build_object('sequence', number, 'type', NEW.event_type))::text);
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER template_change_log_commit AFTER INSERT ON template_change_log
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION wabasync_template_change_commit();
