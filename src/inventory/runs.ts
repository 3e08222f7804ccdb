import type { Db } from './open.js';

/** Records the start of a command; the id tags everything this run sees. */
export function startRun(db: Db, command: string): number {
  const info = db
    .prepare('INSERT INTO runs (command, started_at) VALUES (?, ?)')
    .run(command, new Date().toISOString());
  return Number(info.lastInsertRowid);
}

/** Records how a run ended; `summary` is stored as JSON for `status` to show. */
export function finishRun(db: Db, id: number, status: string, exitCode: number, summary?: unknown): void {
  db.prepare('UPDATE runs SET ended_at = ?, status = ?, exit_code = ?, summary_json = ? WHERE id = ?').run(
    new Date().toISOString(),
    status,
    exitCode,
    summary === undefined ? null : JSON.stringify(summary),
    id,
  );
}

/** API calls a run made (see migration 0018): undefined leaves that column as it is. */
export function recordApiCalls(db: Db, id: number, calls: { crawl?: number; download?: number }): void {
  db.prepare(
    `UPDATE runs SET api_calls_crawl = COALESCE(@crawl, api_calls_crawl),
                     api_calls_download = COALESCE(@download, api_calls_download) WHERE id = @id`,
  ).run({ id, crawl: calls.crawl ?? null, download: calls.download ?? null });
}
