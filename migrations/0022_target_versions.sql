-- The bucket mirrors the local layout, versions/ included (issue 16). With target.keepLocal false
-- the earlier copy of a drive file is no longer on disk when its new version is downloaded, so it
-- cannot be kept under versions/ locally; the bucket keeps it instead, by copying the object to
-- media/<shard>/<token>/versions/<when>/<name> before the new version overwrites it. `<when>` is the
-- label the local layout would have used (src/download/keep-version.ts versionLabel), taken from the
-- media row when the object was uploaded, since the row holds the new version's times by then.
-- NULL for objects that are not media files, and for rows uploaded before this migration (their
-- label is then the upload time: `<uploaded_at>-uploaded`).
ALTER TABLE target_objects ADD COLUMN version_label TEXT;
