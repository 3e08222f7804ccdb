-- Objects that look like media but cannot be downloaded: a sheet cell image or attachment without a
-- file token, a cell object of a type we do not know, a docx image or file block with an empty token,
-- a docx block of a type we do not handle that carries a token, a bitable attachment without a
-- file_token. Nothing can fetch them, so they were dropped without a word; now each is a row, counted
-- in the summary, `status` and the report, and part of exit 3 while any is live. Kept like media_refs:
-- a complete read of the document that no longer finds one marks it gone; a gone document's rows are
-- not counted.
CREATE TABLE unbackable_objects (
  id             INTEGER PRIMARY KEY,
  document_id    INTEGER NOT NULL REFERENCES documents(id),
  location       TEXT NOT NULL,               -- block id | sheetId!A1 (sheetId!A1[i] inside a cell array) | <recordId>/<fieldId>[i]
  kind           TEXT NOT NULL,               -- sheet_image | sheet_attachment | sheet_object | docx_image | docx_file | docx_block | bitable_attachment
  reason         TEXT NOT NULL,               -- no_token | unknown_type
  detail         TEXT,                        -- the unknown type: a cell object's `type`, a docx `block_type` and payload key
  scope          TEXT,                        -- the sheet it sits in, as media_refs.scope
  first_seen_run INTEGER REFERENCES runs(id),
  last_seen_run  INTEGER REFERENCES runs(id),
  gone_at        TEXT,
  UNIQUE (document_id, location, kind)
);
CREATE INDEX unbackable_objects_live ON unbackable_objects(gone_at, document_id);
