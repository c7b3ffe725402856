-- A digest of each template's components, kept by PostgreSQL with the row: the lists key what they
-- derive from the components (2Chat's template_content, LancePilot's components object) by it, so a
-- read hashes 32 characters instead of the whole JSON text (about 1 KB) to find what it derived before.
ALTER TABLE template ADD COLUMN components_md5 text GENERATED ALWAYS AS (md5(components::text)) STORED;
