import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, CHROMIUM_PATH, chromiumAvailable, launchChromium } from '../../bench/chromium.js';
import { openInventory } from '../../src/inventory/open.js';
import { collectReportData } from '../../src/report/collect.js';
import { renderReportHtml } from '../../src/report/render.js';
import { writeHtmlReport } from '../../src/report/write.js';
import { HOSTILE_NAME, seedTenant } from './fixture.js';

// In CI the browser is part of the set-up (.ci/install-browser.sh), so its absence is a failure there.
const skip = !chromiumAvailable() && !process.env.CI;
if (skip) {
  console.warn(
    `Skipping the report's browser test: no Chromium at ${CHROMIUM_PATH}. Run .ci/install-browser.sh to install it.`,
  );
}

describe.skipIf(skip)('the HTML report in a real browser', () => {
  let dir: string;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'report-browser-'));
    const outputDir = path.join(dir, 'backup');
    mkdirSync(path.join(outputDir, 'media', 'lo'), { recursive: true });
    writeFileSync(path.join(outputDir, 'media', 'lo', 'logo.png'), 'not really a png');
    const db = openInventory(path.join(dir, 'inventory.sqlite'));
    seedTenant(db);
    const meta = {
      outputDir,
      baseUrl: 'https://open.feishu.cn',
      roots: ['folder:fldPlans', 'wiki:spcHandbook'],
      generatedAt: new Date('2024-05-03T09:00:00Z'),
    };
    writeHtmlReport(db, path.join(outputDir, 'report.html'), meta);
    // The same report with its table data gzipped, as large reports are written.
    const compressed = path.join(outputDir, 'report-compressed.html');
    const data = collectReportData(db, { ...meta, reportPath: compressed });
    writeFileSync(compressed, renderReportHtml(data, { compressAbove: 0 }));
    // A first screen shorter than the table, as with 100,000 rows.
    const short = path.join(outputDir, 'report-first-3.html');
    const shortData = collectReportData(db, { ...meta, reportPath: short });
    writeFileSync(short, renderReportHtml(shortData, { compressAbove: 0, firstScreenRows: 3 }));
    db.close();
    // A table far longer than the screen, for printing.
    const longDb = openInventory(path.join(dir, 'long.sqlite'));
    const insert = longDb.prepare(
      "INSERT INTO media (file_token, name, size, mime_type, status) VALUES (?, ?, ?, 'image/png', 'pending')",
    );
    for (let i = 0; i < 300; i++)
      insert.run(`boxLong${i}`, `file ${String(i).padStart(3, '0')}.png`, 1000 + i);
    writeHtmlReport(longDb, path.join(outputDir, 'report-long.html'), meta);
    longDb.close();

    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    page.on('request', (req) => requests.push(req.url()));
    await page.goto(pathToFileURL(path.join(outputDir, 'report.html')).href);
    await page.waitForSelector('html[data-open-ms]');
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const visibleNames = (): Promise<string[]> =>
    // What the auditor sees: rows that take up room on the page, not merely rows in the DOM.
    page.$$eval('#rows-body .td.name', (cells) =>
      cells.filter((c) => c.getClientRects().length > 0).map((c) => c.textContent ?? ''),
    );

  /** Does what the auditor does, then waits until the table script has redrawn (and painted) for it. */
  const act = async (action: () => Promise<unknown>): Promise<void> => {
    const before = Number((await page.getAttribute('html', 'data-filter-seq')) ?? 0);
    await action();
    await page.waitForSelector(`html[data-filter-seq="${before + 1}"]`);
  };

  it('opens from file:// without a script error or a single network request', () => {
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
  });

  it('shows the totals of the inventory', async () => {
    expect(await page.textContent('#total-files')).toBe('9');
    expect(await page.textContent('#state-backed_up')).toBe('3');
    expect(await page.textContent('#state-failed')).toBe('3');
    expect(await page.textContent('#row-count')).toBe('All 9 files');
    expect(await visibleNames()).toHaveLength(9);
  });

  it('lists files largest first, hostile names shown as text and never run', async () => {
    const names = await visibleNames();
    expect(names[0]).toBe('launch.mp4');
    expect(names).toContain(HOSTILE_NAME);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    const digests = await page.$$eval('#rows-body .td.mono', (cells) =>
      cells.map((c) => c.getAttribute('title')),
    );
    expect(digests).toEqual(expect.arrayContaining(['a'.repeat(64), 'b'.repeat(64), '']));
  });

  it('narrows the table to matching files as the auditor types', async () => {
    // The local path as shown, decoded, not percent-encoded.
    await act(() => page.fill('#search', 'media/ol/old diagram'));
    expect(await visibleNames()).toEqual(['old diagram.png']);
    await act(() => page.fill('#search', 'bbbbbbbb'));
    expect(await visibleNames()).toEqual(['report <2024>.pdf']);
    await act(() => page.fill('#search', 'PDF'));
    expect((await visibleNames()).sort()).toEqual(['contract.pdf', 'report <2024>.pdf']);
    expect(await page.textContent('#row-count')).toBe('Showing 2 of 9 files');
  });

  it('combines the search with a state filter', async () => {
    await act(() => page.selectOption('#filter-state', { label: 'Failed (3)' }));
    expect(await visibleNames()).toEqual(['contract.pdf']);
    expect(await page.getAttribute('#rows-body .tr:not([hidden]) .pill', 'title')).toBe(
      'permission: HTTP 403, code 1061004',
    );
    await act(() => page.fill('#search', ''));
    expect(await visibleNames()).toEqual(['contract.pdf', 'salaries.xlsx', 'deleted.png']);
  });

  it('sorts by name when its header is clicked', async () => {
    await act(() => page.selectOption('#filter-state', ''));
    await act(() => page.click('.thead [data-sort="name"] button'));
    const names = await visibleNames();
    expect(names.slice(0, 3)).toEqual([HOSTILE_NAME, 'contract.pdf', 'deleted.png']);
    expect(await page.getAttribute('.thead [data-sort="name"]', 'aria-sort')).toBe('ascending');
  });

  it('links a backed-up file relative to the report, and the link opens it', async () => {
    const href = await page.$eval('#rows-body a[href$="logo.png"]', (a) => a.getAttribute('href'));
    expect(href).toBe('media/lo/logo.png');
    // A link not built from the file's own name is carried whole.
    expect(await page.$eval('#rows-body a[href$="evil.png"]', (a) => a.getAttribute('href'))).toBe(
      'media/ev/evil.png',
    );
    // The browser resolves it against the report's own file:// URL, as a click would.
    const resolved = await page.$eval('a[href$="logo.png"]', (a) => (a as unknown as { href: string }).href);
    expect(readFileSync(fileURLToPath(resolved), 'utf8')).toBe('not really a png');
  });

  it('filters by MIME type when a chart bar is clicked, and saves a screenshot', async () => {
    await act(() => page.click('[data-filter-mime] >> nth=0'));
    expect(await page.textContent('#row-count')).toBe('Showing 4 of 9 files');
    const shot = path.join(process.env.REPORT_SCREENSHOT_DIR ?? dir, 'report.png');
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: shot, fullPage: true });
    console.info(`report screenshot: ${shot}`);
    expect(errors).toEqual([]);
  });

  it('prints every row of the table, not only the rows drawn on screen', async () => {
    const other = await browser.context.newPage();
    await other.goto(pathToFileURL(path.join(dir, 'backup', 'report-long.html')).href);
    await other.waitForSelector('html[data-ready-ms]');
    const drawn = (): Promise<number> =>
      other.$$eval('#rows-body .tr', (rows) => rows.filter((r) => r.getClientRects().length > 0).length);
    expect(await drawn()).toBeLessThan(100);
    await other.emulateMedia({ media: 'print' });
    await other.waitForSelector('html[data-printing]');
    expect(await drawn()).toBe(300);
    // Nothing clips them: the table is as tall as its rows.
    const clipped = await other.$eval('#rows-viewport', (v) => v.scrollHeight > v.clientHeight + 1);
    expect(clipped).toBe(false);
    await other.emulateMedia({ media: 'screen' });
    await other.waitForSelector('html:not([data-printing])');
    expect(await drawn()).toBeLessThan(100);
    await other.close();
  });

  it('draws the first screen at once and the remaining rows once the rest of the data is read', async () => {
    const other = await browser.context.newPage();
    const seen: string[] = [];
    other.on('pageerror', (err) => seen.push(err.message));
    await other.goto(pathToFileURL(path.join(dir, 'backup', 'report-first-3.html')).href);
    await other.waitForSelector('html[data-ready-ms]');
    const names = await other.$$eval('#rows-body .td.name', (cells) =>
      cells.filter((c) => c.getClientRects().length > 0).map((c) => c.textContent ?? ''),
    );
    expect(names).toHaveLength(9);
    expect(names).not.toContain('Loading…');
    expect(names[0]).toBe('launch.mp4');
    expect(seen).toEqual([]);
    await other.close();
  });

  it('reads table data that was written compressed, as large reports are', async () => {
    const other = await browser.context.newPage();
    const seen: string[] = [];
    other.on('pageerror', (err) => seen.push(err.message));
    await other.goto(pathToFileURL(path.join(dir, 'backup', 'report-compressed.html')).href);
    await other.waitForSelector('html[data-open-ms]');
    expect(await other.textContent('#row-count')).toBe('All 9 files');
    expect(await other.$$eval('#rows-body .td.name', (cells) => cells.length)).toBeGreaterThanOrEqual(9);
    expect(seen).toEqual([]);
    await other.close();
  });
});
