-- Which path fetched each downloaded file (issue 14): 'direct' (its download endpoint) or 'tmp-url'
-- (a temporary URL from batch_get_tmp_download_url; media inside documents only). Whether Feishu
-- meters temporary-URL fetches against the 10,000 downloads a day is not documented, so `status`
-- shows per path the files, bytes and requests of today (src/inventory/fetch-paths.ts) for a real
-- tenant to tell. NULL: downloaded before this migration.
ALTER TABLE media ADD COLUMN fetched_via TEXT;
CREATE INDEX media_fetched_at ON media(downloaded_at) WHERE fetched_via IS NOT NULL;
