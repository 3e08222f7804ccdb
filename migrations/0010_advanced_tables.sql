-- Bitable tables whose `extra` a download was seen to need (advanced-permission tables): a file in
-- such a table downloads only with that table's `extra`, and nothing the crawl reads says which tables
-- are advanced. A run learns it from one refused call; kept here, the next run sends the right `extra`
-- first instead of paying that call again. Never pruned: a table that stops being advanced still
-- accepts its own `extra`, so a stale row costs nothing.
CREATE TABLE advanced_tables (
  table_id   TEXT PRIMARY KEY,
  learned_at TEXT NOT NULL
) WITHOUT ROWID;
