-- The downloader's reads: the plan (`--dry-run`, summaries: counts and bytes per status) and the work
-- queue (rows not done, small first) scan this covering index instead of the whole media table.
CREATE INDEX media_download_queue ON media(status, attempts, size, bytes_on_disk);
