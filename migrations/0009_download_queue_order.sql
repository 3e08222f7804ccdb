-- The download queue's order as an index, so a batch reads its rows in order and stops after them
-- instead of sorting every file left to download (a million-row backlog took about 1.7 s per batch of
-- 64). The keys are the queue's ORDER BY (src/inventory/media-queue.ts) term for term: partial first,
-- never tried first, known sizes first, then size; the rowid after them is the last tiebreak (id).
-- Partial: done rows, most of a grown inventory, are not in it. The queue repeats this WHERE clause
-- word for word, which is how SQLite knows it may use the index. Building it reads the media table
-- once (a few seconds for a million rows); nothing else changes.
CREATE INDEX media_queue_order ON media(
  (CASE status WHEN 'partial' THEN 0 ELSE 1 END),
  (CASE WHEN attempts = 0 THEN 0 ELSE 1 END),
  (size IS NULL),
  size
) WHERE status IN ('pending', 'partial', 'error', 'failed');
