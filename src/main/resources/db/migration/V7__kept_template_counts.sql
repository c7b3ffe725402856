-- wabasync schema, version 7: the lists' totals are kept, not counted on every read.
--
-- Counting a number's templates on each request read every one of its index entries (6,000 for a
-- large WABA): most of a list request's database cost. The counts of listed templates (removed_at
-- IS NULL) per channel and status are kept here instead, by triggers on template, so they change in
-- the very transaction that changes the rows, whichever statement of whichever replica does it, and
-- a transaction that dies takes its counts with it.
--
-- The table holds deltas, not one row per key: a writer only appends, so two transactions that
-- change templates of one number never wait on a shared counter row (nor deadlock on two of them).
-- The total is the sum of a key's rows; TemplateCounts folds each key's rows into one from time to
-- time, in one statement that deletes and re-inserts, so a reader sees the same sum before and after.
-- No reference to channel: a cascade that deletes a channel's templates appends their negative
-- deltas after the channel is gone; folding drops the keys whose sum is zero.
CREATE TABLE template_count (
    channel_id   uuid   NOT NULL,
    workspace_id uuid   NOT NULL,
    status       text   NOT NULL,
    n            bigint NOT NULL
);
CREATE INDEX template_count_channel ON template_count (channel_id, status) INCLUDE (n);
CREATE INDEX template_count_workspace ON template_count (workspace_id, status) INCLUDE (n);

-- Statement-level triggers with transition tables: a sync page of 100 rows appends a row per status,
-- not 100. An update that keeps the status and the listing nets out to nothing and appends nothing.
CREATE FUNCTION template_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO template_count (channel_id, workspace_id, status, n)
    SELECT channel_id, workspace_id, status, count(*) FROM inserted WHERE removed_at IS NULL GROUP BY 1, 2, 3;
    RETURN NULL;
END $$;

CREATE FUNCTION template_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO template_count (channel_id, workspace_id, status, n)
    SELECT channel_id, workspace_id, status, sum(d) FROM (
        SELECT channel_id, workspace_id, status, 1 AS d FROM updated WHERE removed_at IS NULL
        UNION ALL
        SELECT channel_id, workspace_id, status, -1 FROM before_update WHERE removed_at IS NULL) changed
     GROUP BY 1, 2, 3 HAVING sum(d) <> 0;
    RETURN NULL;
END $$;

CREATE FUNCTION template_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO template_count (channel_id, workspace_id, status, n)
    SELECT channel_id, workspace_id, status, -count(*) FROM deleted WHERE removed_at IS NULL GROUP BY 1, 2, 3;
    RETURN NULL;
END $$;

-- Created before the counts are filled in: each trigger's lock keeps writers out until this commits.
CREATE TRIGGER template_counted_insert AFTER INSERT ON template REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION template_count_inserted();
CREATE TRIGGER template_counted_update AFTER UPDATE ON template REFERENCING OLD TABLE AS before_update NEW TABLE AS updated
    FOR EACH STATEMENT EXECUTE FUNCTION template_count_updated();
CREATE TRIGGER template_counted_delete AFTER DELETE ON template REFERENCING OLD TABLE AS deleted
    FOR EACH STATEMENT EXECUTE FUNCTION template_count_deleted();

INSERT INTO template_count (channel_id, workspace_id, status, n)
SELECT channel_id, workspace_id, status, count(*) FROM template WHERE removed_at IS NULL GROUP BY 1, 2, 3;
