-- Drive files keep their token when someone uploads a new version in Feishu, so a `done` row alone
-- cannot tell that its copy is old. The listing says when each file last changed (drive
-- `modified_time`, wiki `obj_edit_time`: unix seconds as text); the crawl keeps the newest it saw in
-- `remote_version`, and a download that makes the row `done` records the `remote_version` it was taken
-- at as `downloaded_version`. A crawl that lists a newer version than `downloaded_version` puts the row
-- back in the queue; the downloader keeps the earlier copy under media/<fan>/<token>/versions/ (see
-- src/download/LAYOUT.md). Only drive files get versions: media tokens inside documents are immutable.
-- Rows downloaded before this migration have no `downloaded_version`: their `downloaded_at` stands in
-- (a file modified after we downloaded it is fetched again; nothing else is), so upgrading does not
-- fetch every drive file again. Nothing is backfilled.
ALTER TABLE media ADD COLUMN remote_version TEXT;
ALTER TABLE media ADD COLUMN downloaded_version TEXT;
