-- A read limited to one sheet of a spreadsheet or one table of a base (a root with `sheetId` or
-- `tableId`) sees only that part of the document, so it may only mark gone the references of that
-- part, resume only its own checkpoint, and must not record the document's revision as read whole.

-- The sheet (or table) of its document a reference sits in; NULL where a document has no parts.
ALTER TABLE media_refs ADD COLUMN scope TEXT;
-- Cell references carry their sheet in the location (`sheetId!A1`); floating images (`float:<id>`)
-- learn theirs the next time they are read, and meanwhile no scoped read marks them gone.
UPDATE media_refs SET scope = substr(location, 1, instr(location, '!') - 1)
 WHERE instr(location, '!') > 1 AND document_id IN (SELECT id FROM documents WHERE type = 'sheet');

-- The scope of the pass a checkpoint belongs to (NULL: a whole read). A whole read does not resume a
-- scoped pass, which skipped the other sheets.
ALTER TABLE crawl_checkpoints ADD COLUMN scope TEXT;
-- Checkpoints from before could be either: drop those of documents ever read scoped (they start over).
DELETE FROM crawl_checkpoints WHERE document_id IN (SELECT id FROM documents WHERE scope IS NOT NULL);
-- Scoped reads recorded the revision as if read whole: read those documents once more.
UPDATE documents SET crawled_revision = NULL WHERE scope IS NOT NULL;
