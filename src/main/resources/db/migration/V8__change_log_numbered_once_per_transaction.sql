-- wabasync schema, version 8: a transaction's changes are numbered together, once, at its commit.
--
-- Version 6 numbered each change in its own firing of a deferred row trigger: a lock, a sequence
-- value, an update, an outbox insert and a NOTIFY per change, 100 firings at the commit of a full
-- sync page of 100 new templates (409 ms of database time over a 6,000-template sync, measured with
-- track_functions; docs/performance.md, B1). Deferred triggers exist only per row, so the row that
-- fires at commit is now a marker, one per transaction that wrote changes, and its one firing
-- numbers all of them in the order they were written, with the same lock per workspace as before.
--
-- Which changes are the transaction's own: those without a number. A committed change always has
-- one (the numbering runs before the commit), and another transaction's uncommitted rows are
-- invisible to it.
CREATE SEQUENCE template_change_written_seq;
-- No default on the old rows (all numbered already): a volatile default would rewrite the table.
ALTER TABLE template_change_log ADD COLUMN written bigint;
ALTER TABLE template_change_log ALTER COLUMN written SET DEFAULT nextval('template_change_written_seq');
CREATE INDEX template_change_log_unnumbered ON template_change_log (written) WHERE seq IS NULL;

-- One row per transaction that has changes to number; gone again at its commit.
CREATE TABLE template_change_commit (
    xid bigint PRIMARY KEY
);

CREATE FUNCTION wabasync_template_change_mark() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO template_change_commit (xid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION wabasync_template_change_commit() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    announced bigint;
BEGIN
    -- One lock per workspace, taken in one order by every transaction, so two transactions that
    -- change the same two workspaces cannot deadlock on them.
    PERFORM pg_advisory_xact_lock(20261130, hashtext(workspace_id::text))
       FROM (SELECT DISTINCT workspace_id FROM template_change_log WHERE seq IS NULL ORDER BY workspace_id) mine;
    -- The numbers are drawn after the locks, in the order the changes were written; then the outbox
    -- rows and the NOTIFYs the live streams of every replica receive, in number order.
    WITH mine AS (
        SELECT event_id, nextval('template_change_seq') AS seq, workspace_id, template_id, event_type, change
          FROM (SELECT * FROM template_change_log WHERE seq IS NULL ORDER BY written) unnumbered),
    numbered AS (
        UPDATE template_change_log l SET seq = mine.seq FROM mine WHERE l.event_id = mine.event_id),
    queued AS (
        INSERT INTO outbound_delivery (id, endpoint_id, change_seq, template_id, event_type)
        SELECT gen_random_uuid(), e.id, mine.seq, mine.template_id, mine.event_type
          FROM mine JOIN outbound_endpoint e ON e.workspace_id = mine.workspace_id
        -- An endpoint the service disabled (it kept failing) still collects its events, to be sent
        -- once it is enabled again; one its owner disabled does not.
         WHERE (e.enabled OR e.disabled_reason IS NOT NULL)
           AND (cardinality(e.event_types) = 0 OR mine.event_type = ANY (e.event_types)))
    SELECT count(pg_notify('wabasync_template_changes',
                (ordered.change || jsonb_build_object('sequence', ordered.seq, 'type', ordered.event_type))::text))
      INTO announced
      FROM (SELECT * FROM mine ORDER BY seq) ordered;
    DELETE FROM template_change_commit WHERE xid = NEW.xid;
    RETURN NULL;
END
$$;

DROP TRIGGER template_change_log_commit ON template_change_log;
CREATE TRIGGER template_change_log_mark AFTER INSERT ON template_change_log
    FOR EACH STATEMENT EXECUTE FUNCTION wabasync_template_change_mark();
CREATE CONSTRAINT TRIGGER template_change_commit_number AFTER INSERT ON template_change_commit
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION wabasync_template_change_commit();
