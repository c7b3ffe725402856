-- wabasync schema, version 9: change-log entries written a set at a time.
--
-- Each status-history row fired its own trigger, which called wabasync_template_change_notify: a
-- read of the template and an insert per change (432 ms of database time over a 6,000-template
-- sync; docs/performance.md, B1). The entries of a statement's history rows, and of the template
-- store's other announcements, are now made by one insert from arrays, in the order given. The
-- single-change function stays, for the removal trigger, as a call of the set-based one.
CREATE FUNCTION wabasync_template_changes_log(changed_template uuid[], changed_field text[], old_value text[],
        new_value text[], change_source text[], changed_at timestamptz[], event_id uuid[]) RETURNS void
    LANGUAGE sql AS $$
    INSERT INTO template_change_log (event_id, workspace_id, template_id, event_type, change)
    SELECT c.event_id, t.workspace_id, t.id,
        CASE c.field
            WHEN 'status' THEN CASE WHEN c.old_value IS NULL THEN 'template.created' ELSE 'template.status_updated' END
            WHEN 'quality_score' THEN 'template.quality_updated'
            WHEN 'category' THEN 'template.category_updated'
            WHEN 'components' THEN 'template.components_updated'
            WHEN 'removed' THEN CASE WHEN c.new_value = 'true' THEN 'template.deleted' ELSE 'template.restored' END
            ELSE 'template.' || c.field || '_updated'
        END,
        -- NOTIFY payloads stop at 8000 bytes: names are cut well below that.
        jsonb_build_object(
            'id', c.event_id,
            'workspace_id', t.workspace_id,
            'channel_id', t.channel_id,
            'template_id', t.id,
            'provider_id', t.provider_id,
            'name', left(t.name, 1024),
            'language', left(t.language, 64),
            'field', c.field,
            'old_status', CASE WHEN c.field = 'status' THEN c.old_value ELSE t.status END,
            'new_status', CASE WHEN c.field = 'status' THEN c.new_value ELSE t.status END,
            'old_value', c.old_value,
            'new_value', c.new_value,
            'source', c.source,
            'changed_at', c.changed_at)
      FROM unnest(changed_template, changed_field, old_value, new_value, change_source, changed_at, event_id)
           WITH ORDINALITY AS c (template_id, field, old_value, new_value, source, changed_at, event_id, position)
      JOIN template t ON t.id = c.template_id
     ORDER BY c.position
    ON CONFLICT DO NOTHING;
$$;

CREATE OR REPLACE FUNCTION wabasync_template_change_notify(changed_template uuid, changed_field text, old_value text,
        new_value text, change_source text, changed_at timestamptz, event_id uuid) RETURNS void
    LANGUAGE sql AS $$
    SELECT wabasync_template_changes_log(ARRAY[changed_template], ARRAY[changed_field], ARRAY[old_value],
        ARRAY[new_value], ARRAY[change_source], ARRAY[changed_at], ARRAY[event_id]);
$$;

-- Status changes are still announced by the history rows every writer adds, now per statement.
DROP TRIGGER template_status_history_notify ON template_status_history;
CREATE FUNCTION wabasync_template_status_history_logged() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM wabasync_template_changes_log(array_agg(h.template_id ORDER BY h.position),
            array_agg('status'::text ORDER BY h.position), array_agg(h.from_status ORDER BY h.position),
            array_agg(h.to_status ORDER BY h.position), array_agg(h.source ORDER BY h.position),
            array_agg(h.changed_at ORDER BY h.position), array_agg(h.id ORDER BY h.position))
       FROM (SELECT *, row_number() OVER () AS position FROM inserted) h
     HAVING count(*) > 0;
    RETURN NULL;
END
$$;
CREATE TRIGGER template_status_history_logged AFTER INSERT ON template_status_history
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION wabasync_template_status_history_logged();
