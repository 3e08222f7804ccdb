import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openInventory } from '../../src/inventory/open.js';
import { collectReportData } from '../../src/report/collect.js';
import { escapeHtml, jsonForScript } from '../../src/report/escape.js';
import { hrefMaker, relativeHref } from '../../src/report/links.js';
import { type FirstScreen, payloadHref } from '../../src/report/payload.js';
import { renderReportHtml, type TablePayload } from '../../src/report/render.js';
import { writeHtmlReport } from '../../src/report/write.js';
import { HOSTILE_NAME, HOSTILE_TITLE, seedTenant } from './fixture.js';

let dir: string;
let db: Db;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'report-render-'));
  db = openInventory(path.join(dir, 'inventory.sqlite'));
  seedTenant(db);
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function render(overrides: { baseUrl?: string; roots?: string[]; compressAbove?: number } = {}): string {
  const outputDir = path.join(dir, 'backup');
  return renderReportHtml(
    collectReportData(db, {
      outputDir,
      reportPath: path.join(outputDir, 'report.html'),
      baseUrl: overrides.baseUrl ?? 'https://open.feishu.cn',
      roots: overrides.roots ?? ['folder:fldPlans'],
      generatedAt: new Date('2024-05-03T09:00:00Z'),
    }),
    overrides.compressAbove === undefined ? {} : { compressAbove: overrides.compressAbove },
  );
}

function embeddedPayload(html: string): TablePayload {
  const parts = [
    ...html.matchAll(
      /<script type="application\/json" class="report-data"( data-encoding="gzip-base64")?>([^<]*)<\/script>/g,
    ),
  ];
  const text = parts.map((m) => m[2]).join('');
  return JSON.parse(
    parts[0]![1] ? gunzipSync(Buffer.from(text, 'base64')).toString('utf8') : text,
  ) as TablePayload;
}

/** Every script element that is not one of the report's data elements: only its own script may be left. */
function scriptTags(html: string): string[] {
  return (html.match(/<script[^>]*>/gi) ?? []).filter(
    (t) =>
      !t.startsWith('<script type="application/json" class="report-data"') &&
      t !== '<script type="application/json" id="report-first">' &&
      t !== '<script type="text/plain" class="report-sha">',
  );
}

describe('escaping', () => {
  it('escapes every character that could open a tag or end an attribute', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;',
    );
  });

  it('embeds JSON that no closing tag or comment opener can break out of, and that reads back intact', () => {
    const hostile = { name: '</script><!--<script>', sep: '\u2028\u2029', amp: 'a&b' };
    const json = jsonForScript(hostile);
    expect(json).not.toMatch(/<|>|&|\u2028|\u2029/);
    expect(JSON.parse(json)).toEqual(hostile);
  });
});

describe('renderReportHtml', () => {
  it('leaves only its own script and data elements however hostile the names are', () => {
    const html = render({ roots: ['folder:<script>x</script>'] });
    expect(scriptTags(html)).toEqual(['<script>']);
    expect(html.match(/<script/gi)!.length).toBe(html.match(/<\/script/gi)!.length);
    expect(html).not.toContain('<!--');
    expect(html).not.toContain(HOSTILE_TITLE);
    expect(html).toContain(escapeHtml(HOSTILE_TITLE.slice(0, 25)));
  });

  it('carries every file to the table, hostile names included, byte for byte', () => {
    const html = render();
    const payload = embeddedPayload(html);
    expect(payload.rows.name).toHaveLength(9);
    expect(payload.rows.name).toContain(HOSTILE_NAME);
    expect(payload.docs.map((d) => d[0])).toContain(HOSTILE_TITLE);
    const i = payload.rows.name.indexOf('report <2024>.pdf');
    expect(payloadHref(payload, i)).toBe('media/re/report%20%3C2024%3E.pdf');
    expect(payload.states[payload.rows.state[i]!]).toBe('Backed up');
    const shas = [...html.matchAll(/<script type="text\/plain" class="report-sha">([^<]*)<\/script>/g)]
      .map((m) => m[1])
      .join('');
    const digests = shas.match(/.{43}/g)!.map((b) => Buffer.from(`${b}=`, 'base64').toString('hex'));
    expect(digests).toEqual(['b', 'c', 'a', 'd'].map((c) => c.repeat(64)));
    expect(payload.rows.h.filter(Boolean)).toHaveLength(4);
  });

  it('needs nothing from the network: no external stylesheet, script, image or font', () => {
    const html = render();
    expect(html).not.toMatch(
      /<link\b|<(img|iframe|object|embed|audio|video)\b|<[a-z][^>]*\bsrc=|@import|url\(/i,
    );
    expect(html).toContain("default-src 'none'");
  });

  it('allows only its own inline script to run, by hash', () => {
    const html = render();
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    const hash = createHash('sha256').update(script).digest('base64');
    expect(html).toContain(`script-src 'sha256-${hash}'`);
  });

  it('shows the totals and the failures with their fixes without any script', () => {
    const html = render();
    expect(html).toMatch(/id="total-files">9</);
    expect(html).toMatch(/id="state-failed">3</);
    expect(html).toMatch(/id="state-gone">1</);
    expect(html).toContain('Add the app as a collaborator of the document, then run again.');
    expect(html).toMatch(/id="tenant-domain">tenant\.feishu\.cn</);
    expect(html).toMatch(/id="header-tenant">tenant\.feishu\.cn</);
    // Failure cards name the documents, linked; raw messages are folded away.
    expect(html).toContain(
      '<a href="https://tenant.feishu.cn/sheets/shtBudget" target="_blank" rel="noopener noreferrer">Budget 2024</a>',
    );
    // One precision for every percentage.
    const text = html.replace(/<style>[\s\S]*?<\/style>/, '').replace(/ (style|width)="[^"]*"/g, '');
    const percents = [...text.matchAll(/(\d+(?:\.\d+)?)%/g)].map((m) => m[1]!);
    expect(percents.length).toBeGreaterThan(4);
    expect(percents.filter((p) => !/^\d+\.\d$/.test(p))).toEqual([]);
  });

  it('never links a document URL that is not http(s)', () => {
    expect(render()).not.toContain('javascript:');
  });

  it('escapes a hostile tenant base URL', () => {
    const html = render({ baseUrl: '"><script>alert(1)</script>' });
    expect(scriptTags(html)).toEqual(['<script>']);
  });
});

describe('links to backed-up files', () => {
  it('are the same whether worked out one by one or with the shared prefix', () => {
    const segment = fc.stringMatching(/^[^/\0]{1,12}$/).filter((x) => x !== '.' && x !== '..');
    fc.assert(
      fc.property(
        fc.array(fc.oneof(segment, fc.constantFrom('..', '.', '')), { minLength: 1, maxLength: 4 }),
        (parts) => {
          const mediaPath = parts.join('/');
          for (const report of ['/b/out/report.html', '/b/out/audits/r.html', '/elsewhere/r.html']) {
            expect(hrefMaker(report, '/b/out')(mediaPath)).toBe(relativeHref(report, '/b/out', mediaPath));
          }
        },
      ),
    );
  });
});

describe('the first screen', () => {
  it('carries the first rows, largest first, with their digests, ahead of the script', () => {
    const html = render({ compressAbove: 0 });
    const m = /<script type="application\/json" id="report-first">([^<]*)<\/script>\n<script>/.exec(html);
    const first = JSON.parse(m![1]!) as FirstScreen;
    expect(first.n).toBe(9);
    expect(first.table.rows.name.slice(0, 2)).toEqual(['launch.mp4', 'report <2024>.pdf']);
    expect(first.sha.slice(0, 2)).toEqual([null, 'b'.repeat(64)]);
    expect(first.table.docs.map((d) => d[0])).toContain(HOSTILE_TITLE);
    expect(html.indexOf('id="report-first"')).toBeLessThan(html.indexOf('class="report-data"'));
  });
});

describe('large reports', () => {
  it('embed the table data compressed, and it reads back to the same rows', () => {
    const plain = render();
    const packed = render({ compressAbove: 0 });
    expect(packed).toContain('data-encoding="gzip-base64"');
    expect(embeddedPayload(packed)).toEqual(embeddedPayload(plain));
    expect(scriptTags(packed)).toEqual(['<script>']);
  });
});

describe('writeHtmlReport', () => {
  it('writes the report where asked and says how big it is', () => {
    const out = path.join(dir, 'report.html');
    const written = writeHtmlReport(db, out, {
      outputDir: path.join(dir, 'backup'),
      baseUrl: 'https://open.larksuite.com',
      roots: [],
    });
    const html = readFileSync(out, 'utf8');
    expect(written).toEqual({ path: out, bytes: Buffer.byteLength(html), mediaFiles: 9 });
    const payload = embeddedPayload(html);
    expect(payload.rows.name.map((_, i) => payloadHref(payload, i))).toContain('backup/media/lo/logo.png');
  });
});
