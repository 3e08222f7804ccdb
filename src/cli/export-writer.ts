import type { ExportRow } from '../inventory/export.js';

export type ExportFormat = 'json' | 'csv';

/**
 * The reader closed the pipe (`export | head`): not an error. The command stops writing and exits 0
 * quietly, as Unix tools do.
 */
export class ReaderGoneError extends Error {
  override readonly name = 'ReaderGoneError';
  readonly code = 'EPIPE';
}

const PIPE_GONE = new Set(['EPIPE', 'ERR_STREAM_DESTROYED']);

/**
 * Waits for 'drain', or for the end of a stream whose reader went away (`| head`), which never
 * drains; resolves with the stream's error, if that is how it ended.
 */
function drainedOrGone(out: NodeJS.WritableStream): Promise<Error | undefined> {
  return new Promise((resolve) => {
    const events = ['drain', 'close', 'error'];
    const done = (error?: unknown): void => {
      for (const event of events) out.off(event, done);
      resolve(error instanceof Error ? error : undefined);
    };
    for (const event of events) out.on(event, done);
  });
}

function isClosed(out: NodeJS.WritableStream): boolean {
  const s = out as { destroyed?: boolean; writableEnded?: boolean };
  return s.destroyed === true || s.writableEnded === true;
}

export const CSV_COLUMNS = [
  'fileToken',
  'name',
  'mimeType',
  'size',
  'sha256',
  'status',
  'path',
  'sources',
  'goneFromFeishu',
  'seenAs',
  // Added later, at the end so scripts that read columns by position keep working.
  'sourceTitles',
  'sourceUrls',
] as const;

/**
 * One CSV field, RFC 4180: quoted when it holds a comma, quote or line break. A text cell starting
 * with = + - @ (or a tab/CR) gets a leading apostrophe, the OWASP guard against formula injection:
 * file names come from document authors and the CSV is opened in spreadsheets.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** `docx:doxcnAbc:blk1; sheet:shtcnX:s1!A2`: every place the file is referenced, in one cell. */
export function flattenSources(row: ExportRow): string {
  return row.sources.map((s) => `${s.docType}:${s.docToken}:${s.location}`).join('; ');
}

/** Who saw the documents holding the file (`tenant`, `user:<open_id>`), distinct, in one cell. */
export function seenAs(row: ExportRow): string {
  return [...new Set(row.sources.map((s) => s.seenAs).filter((v): v is string => !!v))].join('; ');
}

export function csvLine(row: ExportRow): string {
  const cells = [
    row.fileToken,
    row.name,
    row.mimeType,
    row.size,
    row.sha256,
    row.status,
    row.path,
    flattenSources(row),
    row.goneFromFeishu ? 'true' : 'false',
    seenAs(row),
    row.sources.map((s) => s.title).join('; '),
    row.sources.map((s) => s.url ?? '').join('; '),
  ];
  return `${cells.map(csvField).join(',')}\r\n`;
}

/**
 * Writes rows as a JSON array (one row per line, so it also greps well) or as CSV, honouring
 * backpressure so memory stays flat however large the inventory. Returns the number of rows.
 */
export async function writeExport(
  rows: Iterable<ExportRow>,
  format: ExportFormat,
  out: NodeJS.WritableStream,
): Promise<number> {
  const write = async (chunk: string): Promise<void> => {
    if (isClosed(out)) throw new ReaderGoneError();
    const error = out.write(chunk) ? undefined : await drainedOrGone(out);
    // A closed pipe ends the export quietly; any other failure (a full disk under --out) is one.
    if (error && !PIPE_GONE.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    if (isClosed(out)) throw new ReaderGoneError();
  };
  let n = 0;
  if (format === 'csv') {
    await write(`${CSV_COLUMNS.join(',')}\r\n`);
    for (const row of rows) {
      await write(csvLine(row));
      n++;
    }
    return n;
  }
  await write('[');
  for (const row of rows) {
    await write(`${n === 0 ? '\n' : ',\n'}${JSON.stringify(row)}`);
    n++;
  }
  await write(n === 0 ? ']\n' : '\n]\n');
  return n;
}
