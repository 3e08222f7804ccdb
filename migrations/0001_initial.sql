-- The inventory: what was found where, and what is on disk. Forward-only: never edit a shipped
-- migration; add the next number. Applied in one transaction; PRAGMA user_version tracks them.

-- One row per run of a command, so `status` can tell how the last runs ended.
CREATE TABLE runs (
  id           INTEGER PRIMARY KEY,
  command      TEXT NOT NULL,                 -- backup | crawl | download | verify
  started_at   TEXT NOT NULL,                 -- ISO 8601 UTC
  ended_at     TEXT,
  status       TEXT NOT NULL DEFAULT 'running', -- running | ok | partial | quota | budget | interrupted | failed
  exit_code    INTEGER,
  summary_json TEXT
);

-- Roots as the user configured them (canonical JSON), so documents can say which root found them.
CREATE TABLE roots (
  id    INTEGER PRIMARY KEY,
  spec  TEXT NOT NULL UNIQUE,
  kind  TEXT NOT NULL,                        -- folder | wiki | docx | sheet | bitable
  token TEXT NOT NULL
);

-- Every container and document seen: folders, wiki spaces and nodes, docx, sheets, bitables and
-- their tables, boards, plain drive files. `revision` is what the server says now; `crawled_revision`
-- is the revision whose content the inventory holds, so an unchanged document is not read again.
CREATE TABLE documents (
  id               INTEGER PRIMARY KEY,
  type             TEXT NOT NULL,
  token            TEXT NOT NULL,
  title            TEXT,
  url              TEXT,
  parent_id        INTEGER REFERENCES documents(id),
  root_id          INTEGER REFERENCES roots(id),
  revision         TEXT,
  crawled_revision TEXT,
  status           TEXT NOT NULL DEFAULT 'pending', -- pending | done | error | gone
  error_kind       TEXT,
  error_message    TEXT,
  error_fix        TEXT,
  first_seen_run   INTEGER REFERENCES runs(id),
  last_seen_run    INTEGER REFERENCES runs(id),
  last_crawled_at  TEXT,
  UNIQUE (type, token)
);
CREATE INDEX documents_parent ON documents(parent_id);

-- Where an interrupted crawl of one document or container resumes: the phase and the next page.
CREATE TABLE crawl_checkpoints (
  document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
  phase       TEXT NOT NULL,
  page_token  TEXT,
  run_id      INTEGER REFERENCES runs(id),
  updated_at  TEXT NOT NULL
);

-- One row per media file token, however many places reference it.
CREATE TABLE media (
  id              INTEGER PRIMARY KEY,
  file_token      TEXT NOT NULL UNIQUE,
  name            TEXT,                       -- as the source or content-disposition gave it
  size            INTEGER,                    -- bytes, when known
  mime_type       TEXT,
  extra           TEXT,                       -- the `extra` query value a download needs, if any
  status          TEXT NOT NULL DEFAULT 'pending', -- pending | partial | done | failed | error
  path            TEXT,                       -- relative to outputDir, once done
  sha256          TEXT,
  bytes_on_disk   INTEGER,
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_attempt_at TEXT,
  error_kind      TEXT,
  error_code      TEXT,
  error_message   TEXT,
  error_fix       TEXT,
  downloaded_at   TEXT,
  first_seen_run  INTEGER REFERENCES runs(id),
  last_seen_run   INTEGER REFERENCES runs(id)
);
CREATE INDEX media_status ON media(status);

-- Each place a media file was seen. A reference that disappears is marked gone, never deleted with
-- its file: the backup keeps what it had.
CREATE TABLE media_refs (
  id             INTEGER PRIMARY KEY,
  media_id       INTEGER NOT NULL REFERENCES media(id),
  document_id    INTEGER NOT NULL REFERENCES documents(id),
  location       TEXT NOT NULL,               -- block id | sheetId!A1 | float:<id> | <recordId>/<fieldId>
  kind           TEXT NOT NULL,               -- image | file | inline_file | sheet_attachment | sheet_image | float_image | bitable_attachment
  extra          TEXT,
  first_seen_run INTEGER REFERENCES runs(id),
  last_seen_run  INTEGER REFERENCES runs(id),
  gone_at        TEXT,
  UNIQUE (media_id, document_id, location)
);
CREATE INDEX media_refs_document ON media_refs(document_id);

-- Calls made against a daily quota, per bucket and day (in the configured time zone), shared by every
-- run on this inventory.
CREATE TABLE quota_usage (
  bucket TEXT NOT NULL,
  day    TEXT NOT NULL,                       -- YYYY-MM-DD
  used   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (bucket, day)
);
