-- The object storage target (issue 16): one row per object uploaded to, or being uploaded to, the
-- S3-compatible bucket. Keyed by the bucket and the object key, so pointing the config at another
-- bucket (or prefix) uploads everything again. A media file is backed up in the bucket only when its
-- row here is 'done' with the media row's SHA-256: the HEAD after the upload showed that SHA-256 in
-- the object's metadata and the local byte count as its length.
CREATE TABLE target_objects (
  id            INTEGER PRIMARY KEY,
  bucket        TEXT NOT NULL,
  object_key    TEXT NOT NULL,
  media_id      INTEGER REFERENCES media(id),  -- null for the inventory copy
  sha256        TEXT,                          -- what the HEAD showed, once done
  size          INTEGER,
  status        TEXT NOT NULL,                 -- uploading | done | error
  upload_id     TEXT,                          -- the multipart upload in flight, if any
  error_code    TEXT,
  error_message TEXT,
  attempts      INTEGER NOT NULL DEFAULT 0,
  uploaded_at   TEXT,
  run_id        INTEGER REFERENCES runs(id),
  UNIQUE (bucket, object_key)
);
CREATE INDEX target_objects_media ON target_objects(media_id);
