/**
 * Crawl benchmark: 1,000 documents (970 docx of ~103 blocks, 20 spreadsheets of 1,000 cells, 10 bases
 * of 10,000 records) through the loopback fake with pacing off. Reports API calls against the
 * minimum the paging allows, wall time, peak RSS, and a no-change re-crawl as a ratio of the first.
 * Run: `npm run build && node dist/bench/crawl.js` (writes the "## Crawl" section of BENCHMARKS.md).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { crawl } from '../src/crawl/index.js';
import { BUCKETS, type Bucket } from '../src/feishu/buckets.js';
import { FeishuClient } from '../src/feishu/client.js';
import { openInventory } from '../src/inventory/open.js';
import { finishRun, startRun } from '../src/inventory/runs.js';
import { nextBlockRows } from '../src/sources/sheets/extract.js';
import {
  addBitable,
  addDocx,
  addFolder,
  addMedia,
  addSpreadsheet,
  type BlockTree,
  block,
  emptyTenant,
  fakeConfig,
  startFakeFeishu,
  type Tenant,
} from '../test/fake-feishu/index.js';
import { writeBenchmarksSection } from './benchmarks-file.js';

export interface CrawlBenchOptions {
  folders?: number;
  docx?: number;
  blocksPerDocx?: number;
  sheets?: number;
  cellsPerSheet?: number;
  bitables?: number;
  recordsPerBitable?: number;
  /** Write the figures into BENCHMARKS.md. @default false */
  write?: boolean;
}

export interface CrawlBenchResult {
  documents: number;
  blocks: number;
  records: number;
  cells: number;
  calls: number;
  minimumCalls: number;
  ratio: number;
  wallMs: number;
  peakRssMb: number;
  recrawlCalls: number;
  recrawlMs: number;
  recrawlCallRatio: number;
  recrawlTimeRatio: number;
  /** A `--full` re-crawl of the unchanged tenant: every document read to check its skip key. */
  fullCalls: number;
  fullMs: number;
  fullChecked: number;
  media: number;
}

function buildTenant(o: Required<Omit<CrawlBenchOptions, 'write'>>): {
  tenant: Tenant;
  blocks: number;
  cells: number;
} {
  const tenant = emptyTenant({ seed: 42 });
  const folders = Array.from({ length: o.folders }, (_, i) => addFolder(tenant, { name: `F${i}` }));
  let blocks = 0;
  for (let d = 0; d < o.docx; d++) {
    const content: BlockTree[] = [];
    for (let b = 0; b < o.blocksPerDocx - 1; b++) {
      content.push(b % 25 === 0 ? block.image(addMedia(tenant).token) : block.text(`paragraph ${b}`));
    }
    const doc = addDocx(tenant, { title: `D${d}`, folder: folders[d % folders.length]!.token, content });
    blocks += doc.blocks.length;
  }
  const cols = 10;
  const rows = Math.ceil(o.cellsPerSheet / cols);
  for (let s = 0; s < o.sheets; s++) {
    const cells: [number, number, unknown][] = [];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v =
          r % 20 === 0 && c === 0
            ? [{ type: 'attachment', fileToken: addMedia(tenant).token, text: 'a.bin' }]
            : `r${r}c${c}`;
        cells.push([r, c, v]);
      }
    }
    addSpreadsheet(tenant, {
      title: `S${s}`,
      folder: folders[s % folders.length]!.token,
      sheets: [{ rowCount: rows, columnCount: cols, cells: cells as never }],
    });
  }
  for (let a = 0; a < o.bitables; a++) {
    const app = addBitable(tenant, {
      name: `B${a}`,
      folder: folders[a % folders.length]!.token,
      tables: [{ records: [] }],
    });
    const table = app.tables[0]!;
    for (let r = 0; r < o.recordsPerBitable; r++) {
      table.records.push({
        recordId: `rec${a}x${r}`,
        fields: {
          [table.fields[0]!.fieldId]: `row ${r}`,
          ...(r % 50 === 0 ? { [table.fields[1]!.fieldId]: { attachments: [addMedia(tenant).token] } } : {}),
        },
        lastModifiedTime: 0,
      });
    }
  }
  return { tenant, blocks, cells: o.sheets * rows * cols };
}

/** The fewest calls that can read this tenant with documented page sizes (see the Crawl section). */
function minimumCalls(tenant: Tenant, rootFolder: string): number {
  let calls = 1; // the tenant token
  calls += 1; // the root folder's title (folder meta, once per crawl: src/crawl/roots.ts)
  const pages = (n: number, size: number): number => Math.max(1, Math.ceil(n / size));
  const folders = [
    rootFolder,
    ...[...tenant.drive.values()].filter((e) => e.type === 'folder').map((e) => e.token),
  ];
  for (const f of folders)
    calls += pages([...tenant.drive.values()].filter((e) => e.parentToken === f).length, 200);
  for (const doc of tenant.docs.values()) calls += pages(doc.blocks.length, 500);
  for (const ss of tenant.sheets.values()) {
    // sheets/query, and metainfo when a sheet is an embedded base.
    calls += 1 + (ss.sheets.some((s) => s.base) ? 1 : 0);
    for (const s of ss.sheets)
      if (!s.base) calls += Math.ceil(s.rowCount / nextBlockRows(s.columnCount, undefined)) + 1;
  }
  for (const app of tenant.bitables.values()) {
    // The base's is_advanced (bitable.app), then its tables.
    calls += 1 + pages(app.tables.length, 100);
    for (const t of app.tables) calls += pages(t.fields.length, 100) + pages(t.records.length, 500);
  }
  return calls;
}

export async function runCrawlBench(opts: CrawlBenchOptions = {}): Promise<CrawlBenchResult> {
  const o = {
    folders: opts.folders ?? 20,
    docx: opts.docx ?? 970,
    blocksPerDocx: opts.blocksPerDocx ?? 104,
    sheets: opts.sheets ?? 20,
    cellsPerSheet: opts.cellsPerSheet ?? 1000,
    bitables: opts.bitables ?? 10,
    recordsPerBitable: opts.recordsPerBitable ?? 10_000,
  };
  const { tenant, blocks, cells } = buildTenant(o);
  const rootFolder = { token: tenant.rootFolderToken };
  const fake = await startFakeFeishu({ tenant });
  const dir = mkdtempSync(path.join(tmpdir(), 'fb-bench-crawl-'));
  const rates = Object.fromEntries(BUCKETS.map((b) => [b, Number.POSITIVE_INFINITY])) as Record<
    Bucket,
    number
  >;
  const config = fakeConfig(fake, {
    roots: [{ type: 'folder', token: rootFolder.token }],
    outputDir: dir,
    limits: { crawlConcurrency: 16, rates },
  });
  const db = openInventory(config.database);
  const client = new FeishuClient({ appId: fake.appId, appSecret: fake.appSecret, baseUrl: fake.url, rates });
  const once = async (
    full = false,
  ): Promise<{ calls: number; ms: number; media: number; checked: number }> => {
    const before = fake.requests.length;
    const runId = startRun(db, 'crawl');
    const t0 = performance.now();
    const summary = await crawl({ client, db, config, runId, full });
    const ms = performance.now() - t0;
    finishRun(db, runId, 'ok', 0, summary);
    if (summary.failures.length > 0)
      throw new Error(`bench crawl failed: ${JSON.stringify(summary.failures[0])}`);
    return {
      calls: fake.requests.length - before,
      ms,
      media: summary.media.new,
      checked: summary.fullRead?.checked ?? 0,
    };
  };
  try {
    const first = await once();
    const second = await once();
    const full = await once(true);
    const min = minimumCalls(tenant, rootFolder.token);
    const result: CrawlBenchResult = {
      documents: o.docx + o.sheets + o.bitables,
      blocks,
      records: o.bitables * o.recordsPerBitable,
      cells,
      calls: first.calls,
      minimumCalls: min,
      ratio: first.calls / min,
      wallMs: first.ms,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      recrawlCalls: second.calls,
      recrawlMs: second.ms,
      recrawlCallRatio: second.calls / first.calls,
      recrawlTimeRatio: second.ms / first.ms,
      fullCalls: full.calls,
      fullMs: full.ms,
      fullChecked: full.checked,
      media: first.media,
    };
    if (opts.write) writeSection(result);
    return result;
  } finally {
    db.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function writeSection(r: CrawlBenchResult): void {
  const section = `## Crawl

A tenant of ${r.documents.toLocaleString('en')} documents (${r.blocks.toLocaleString('en')} docx blocks, ${r.records.toLocaleString('en')} bitable records, ${r.cells.toLocaleString('en')} sheet cells; ${r.media.toLocaleString('en')} media) crawled through the loopback fake with pacing off, crawl concurrency 16.

| figure | value |
| --- | --- |
| API calls, first crawl | ${r.calls.toLocaleString('en')} |
| minimum the paging allows | ${r.minimumCalls.toLocaleString('en')} |
| ratio (target 1.00) | ${r.ratio.toFixed(2)} |
| wall time, first crawl | ${(r.wallMs / 1000).toFixed(1)} s |
| peak RSS (crawler and fake in one process) | ${r.peakRssMb.toFixed(0)} MB |
| no-change re-crawl: calls | ${r.recrawlCalls.toLocaleString('en')} (${r.recrawlCallRatio.toFixed(3)} of the first) |
| no-change re-crawl: time | ${(r.recrawlMs / 1000).toFixed(2)} s (${r.recrawlTimeRatio.toFixed(3)} of the first) |

Minimum = 1 token + folder pages (200 a page) + docx block pages (500 a page; the drive listing's
\`modified_time\` makes a revision call unnecessary) + per spreadsheet 1 sheet query, its row blocks and
1 float-image query per sheet + per base its table pages, and per table its field pages and record
pages (500 a page). A no-change re-crawl lists the folders and each base's tables again (folders
have no revision; bases are checked per table) and reads nothing else.
Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}.

${fullReadTable(r)}

Reproduce: \`npm run build && node dist/bench/crawl.js\`
`;
  writeBenchmarksSection(section);
}

/** The cost of checking the skip keys: a `--full` re-crawl of the unchanged tenant against an incremental one. */
function fullReadTable(r: CrawlBenchResult): string {
  return `### \`--full\` against an incremental re-crawl

| figure | incremental | \`--full\` |
| --- | --- | --- |
| API calls | ${r.recrawlCalls.toLocaleString('en')} | ${r.fullCalls.toLocaleString('en')} (${(r.fullCalls / r.calls).toFixed(2)} of the first crawl) |
| wall time | ${(r.recrawlMs / 1000).toFixed(2)} s | ${(r.fullMs / 1000).toFixed(1)} s (first crawl in the same run: ${(r.wallMs / 1000).toFixed(1)} s) |
| documents read to check their skip key | 0 | ${r.fullChecked.toLocaleString('en')} |

A full read (\`--full\`, or per document once \`crawl.fullEvery\` has passed, default 7 days) costs
about one first crawl: the docs do not promise that an attachment edit moves a skip key, so this is
what a week of trusting them is checked with. Spread by \`fullEvery\`, the average nightly cost is
about a seventh of it.`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runCrawlBench({ write: true });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
