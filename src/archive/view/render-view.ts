import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DocumentDirectory } from '../../inventory/document-directory.js';
import type { Db } from '../../inventory/open.js';
import { type LatestSnapshot, latestSnapshots } from '../../inventory/snapshots.js';
import {
  type BitableField,
  type BitableRecord,
  type RawBlock,
  renderBitableCsv,
  renderDocxMarkdown,
  renderSheetCsv,
} from '../render/index.js';
import { renderIndex } from './index-md.js';
import { type LinkCounts, ViewLinks } from './links.js';
import { planView, VIEW_DIR, type ViewFile } from './plan.js';
import { readTree } from './tree.js';

export interface ViewSummary {
  /** Documents with a snapshot, rendered. */
  documents: number;
  /** Files written, index.md included. */
  files: number;
  links: LinkCounts;
  /** Snapshots that could not be read (missing or corrupt file), named so the user can check them. */
  unreadable: string[];
}

interface SheetSnapshot {
  sheet_id: string;
  title?: string;
  values?: unknown[][];
}

/**
 * Regenerates `outputDir/view` from the snapshots and the inventory alone: no network, no
 * credentials. The new view is built beside the old one and swapped in, so a reader never sees a
 * half-written view and documents that left the archive leave the view too.
 */
export function renderView(
  db: Db,
  outputDir: string,
  mediaPresent?: (stored: string) => boolean,
): ViewSummary {
  const snapshots = latestSnapshots(db);
  const unreadable = new Set<string>();
  // Read when needed and dropped after: a large archive is never held in memory at once.
  const load = (s: LatestSnapshot): Record<string, unknown> | undefined => {
    try {
      return JSON.parse(gunzipSync(readFileSync(path.join(outputDir, s.path))).toString('utf8'));
    } catch {
      unreadable.add(s.path);
      return undefined;
    }
  };
  // Sheets are planned from their content (titles live in the snapshot); other kinds need no read.
  const plan = planView(
    readTree(db),
    snapshots,
    (s) => (load(s)?.sheets as SheetSnapshot[] | undefined) ?? [],
  );
  const links = new ViewLinks(db, outputDir, plan, mediaPresent);
  const directory = new DocumentDirectory(db);

  const stamp = `${process.pid}-${Date.now()}`;
  const building = path.join(outputDir, `${VIEW_DIR}.new-${stamp}`);
  removeLeftovers(outputDir);
  mkdirSync(building, { recursive: true });
  let files = 0;
  const write = (relative: string, text: string): void => {
    // Plan paths start with `view/`; they are written under the folder being built.
    const target = path.join(building, ...relative.split('/').slice(1));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
    files++;
  };
  const rendered = new Set<number>();
  for (const file of plan.files) {
    const content = load(file.snapshot);
    if (!content) continue;
    write(file.path, renderFile(file, content, links, directory.get(file.snapshot.document_id)?.url));
    rendered.add(file.snapshot.document_id);
  }
  write(`${VIEW_DIR}/index.md`, renderIndex(db, plan, [...unreadable]));

  const current = path.join(outputDir, VIEW_DIR);
  const old = path.join(outputDir, `${VIEW_DIR}.old-${stamp}`);
  try {
    renameSync(current, old);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  renameSync(building, current);
  rmSync(old, { recursive: true, force: true });
  return { documents: rendered.size, files, links: links.counts, unreadable: [...unreadable] };
}

function renderFile(
  file: ViewFile,
  content: Record<string, unknown>,
  links: ViewLinks,
  url: string | null | undefined,
): string {
  const resolver = links.for(file.path);
  const s = file.snapshot;
  if (s.type === 'docx') {
    const blocks = (content.blocks as RawBlock[] | undefined) ?? [];
    const revision = /^rev:(\d+)$/.exec(s.revision)?.[1];
    return renderDocxMarkdown(
      {
        document_id: s.token,
        title: (content.title as string | undefined) ?? s.title ?? undefined,
        ...(revision ? { revision_id: Number(revision) } : {}),
        ...(url ? { url } : {}),
        revision: s.revision,
        backed_up_at: s.created_at,
      },
      blocks,
      resolver,
    );
  }
  const csv = { links: resolver, bom: true, escapeFormulas: true };
  if (s.type === 'sheet') {
    const sheet = (content.sheets as SheetSnapshot[]).find((x) => x.sheet_id === file.sheetId);
    return renderSheetCsv(trimEmptyRows(sheet?.values ?? []), csv);
  }
  return renderBitableCsv(
    (content.fields as BitableField[] | undefined) ?? [],
    (content.records as BitableRecord[] | undefined) ?? [],
    csv,
  );
}

/** The API returns every row of the grid; trailing rows with nothing in them are not content. */
function trimEmptyRows(values: unknown[][]): unknown[][] {
  let end = values.length;
  const empty = (row: unknown[] | undefined): boolean =>
    !Array.isArray(row) || row.every((cell) => cell === null || cell === undefined || cell === '');
  while (end > 0 && empty(values[end - 1])) end--;
  return values.slice(0, end);
}

/** Folders of a render that was killed before its swap. */
function removeLeftovers(outputDir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(outputDir);
  } catch {
    return;
  }
  for (const name of entries) {
    if (name.startsWith(`${VIEW_DIR}.new-`) || name.startsWith(`${VIEW_DIR}.old-`)) {
      rmSync(path.join(outputDir, name), { recursive: true, force: true });
    }
  }
}
