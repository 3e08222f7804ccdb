-- The download queue's order per lane: a download run reads each endpoint's files (media, drive files,
-- whiteboards) from its own queue so that no endpoint's files wait behind another's pace
-- (src/download/lane-scheduler.ts). With the endpoint (`source`) as the first key, a lane's batch is a
-- seek and a walk of 64 entries, however many files of the other lanes are pending: without it, the
-- whiteboard lane's first batch walked past every pending media row to find its 20 rows. The other keys
-- are media_queue_order's (0009), which this replaces; same WHERE clause, repeated word for word by the
-- queue so that SQLite may use the partial index.
DROP INDEX IF EXISTS media_queue_order;
CREATE INDEX media_lane_order ON media(
  source,
  (CASE status WHEN 'partial' THEN 0 ELSE 1 END),
  (CASE WHEN attempts = 0 THEN 0 ELSE 1 END),
  (size IS NULL),
  size
) WHERE status IN ('pending', 'partial', 'error', 'failed');
