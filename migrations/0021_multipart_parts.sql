-- Resumable multipart uploads (issue 16): the multipart upload in flight for an object is named by
-- target_objects.upload_id; these columns say what it was created for, and target_upload_parts
-- records each part as the server accepts it, so the next run sends only the parts still missing.
-- A recorded part is reused only when the local bytes still have the MD5 they had when sent.
ALTER TABLE target_objects ADD COLUMN upload_sha256 TEXT;     -- the SHA-256 set as metadata at CreateMultipartUpload
ALTER TABLE target_objects ADD COLUMN upload_part_size INTEGER; -- bytes per part (the last may be shorter)

CREATE TABLE target_upload_parts (
  bucket      TEXT NOT NULL,
  upload_id   TEXT NOT NULL,
  part_number INTEGER NOT NULL,
  size        INTEGER NOT NULL,
  md5         TEXT NOT NULL,   -- hex MD5 of the bytes sent (also sent as Content-MD5)
  etag        TEXT NOT NULL,   -- as the server returned it, for CompleteMultipartUpload
  PRIMARY KEY (bucket, upload_id, part_number)
);

-- When an object's upload id is replaced or cleared (completed, aborted, started over), the parts of
-- the old upload are of no further use: every code path that changes upload_id forgets them.
CREATE TRIGGER target_upload_parts_forget
AFTER UPDATE OF upload_id ON target_objects
WHEN OLD.upload_id IS NOT NULL AND OLD.upload_id IS NOT NEW.upload_id
BEGIN
  DELETE FROM target_upload_parts WHERE bucket = OLD.bucket AND upload_id = OLD.upload_id;
END;
