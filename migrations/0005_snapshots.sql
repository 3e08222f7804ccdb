-- One row per published document snapshot: the raw API content of one revision (docx blocks, sheet
-- values per sheet, bitable fields and records per table) as gzip-compressed JSON under outputDir.
-- Keyed by revision: an unchanged document gets no new row, a changed one a new row beside the old.
-- Rows are never deleted with a document: the archive keeps what it had.
CREATE TABLE snapshots (
  id            INTEGER PRIMARY KEY,
  document_id   INTEGER NOT NULL REFERENCES documents(id),
  revision      TEXT NOT NULL,                -- documents.revision when read, or sha256:<prefix> if none
  kind          TEXT NOT NULL,                -- docx | sheet | bitable_table
  path          TEXT NOT NULL,                -- relative to outputDir, `/` separators
  bytes         INTEGER NOT NULL,             -- compressed, on disk
  content_bytes INTEGER NOT NULL,             -- the JSON before compression
  sha256        TEXT NOT NULL,                -- of the file on disk
  run_id        INTEGER REFERENCES runs(id),
  created_at    TEXT NOT NULL,
  UNIQUE (document_id, revision)
);
CREATE INDEX snapshots_document ON snapshots(document_id);
