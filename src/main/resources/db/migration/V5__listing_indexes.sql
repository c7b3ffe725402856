-- wabasync schema, version 5: LancePilot's list of a workspace's templates in its order.
-- A page is found in this index alone (ids only, index-only once vacuumed), then only its rows are
-- read, so a far page costs what the first one does; without it every page sorted the workspace.
CREATE INDEX template_workspace_listing ON template (workspace_id, name, language, id) WHERE removed_at IS NULL;
