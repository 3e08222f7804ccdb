-- Skip keys checked by the tool itself. A document is not read again while its skip key (bitable
-- table `revision`, docx `revision_id`, drive `modified_time`, wiki `obj_edit_time`, sheet
-- `revision`) is unchanged, but the docs do not promise that every edit moves these keys (an
-- attachment added to a record, an image replaced in a cell). A full read (`--full`, or when a
-- document was last read longer ago than `crawl.fullEvery`) reads them anyway and compares what it finds
-- with what the inventory held at the same key.

-- One row per crawl that read documents to check their skip keys (a document is checked when its
-- content was last read longer ago than crawl.fullEvery, or with --full): what the checks cost and found.
CREATE TABLE full_reads (
  run_id      INTEGER PRIMARY KEY REFERENCES runs(id),
  reason      TEXT NOT NULL,                -- flag (--full) | due (crawl.fullEvery elapsed for some documents)
  checked     INTEGER NOT NULL,             -- documents read although their key said unchanged
  misses      INTEGER NOT NULL,             -- of those, how many had changed
  finished_at TEXT NOT NULL                 -- ISO 8601 UTC
);

-- Every document whose content changed while its skip key did not: what a real tenant tells us
-- about each key. Counts compare the live references and child documents before and after the read;
-- with snapshots on, the content read is also compared with the snapshot kept for the same key.
CREATE TABLE skip_key_misses (
  id            INTEGER PRIMARY KEY,
  document_id   INTEGER NOT NULL REFERENCES documents(id),
  run_id        INTEGER NOT NULL REFERENCES runs(id),
  skip_key      TEXT NOT NULL,              -- the key that stayed, e.g. rev:5, mtime:1700000000, edit:1700000000
  refs_new      INTEGER NOT NULL,           -- media references the read found that the inventory lacked
  refs_gone     INTEGER NOT NULL,           -- references the inventory held that the read no longer found
  children_new  INTEGER NOT NULL,           -- documents found inside it (embedded sheets, bases) that were new
  children_gone INTEGER NOT NULL,
  content_changed INTEGER NOT NULL,         -- 1: the snapshot content (text, cells, records, title) differs
  found_at      TEXT NOT NULL
);
CREATE INDEX skip_key_misses_document ON skip_key_misses(document_id);
