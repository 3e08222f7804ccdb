import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/commands/status.js';
import { csvField, writeExport } from '../../src/cli/export-writer.js';
import { displayWidth, formatBytes, parseDuration, parseSize, wrapText } from '../../src/cli/format.js';
import { describeProgress, emptyProgress, TtyProgress } from '../../src/cli/progress.js';
import { exitCodeFor, renderSummary } from '../../src/cli/summary.js';
import { emptyCounts } from '../../src/crawl/summary.js';
import { emptyPlan } from '../../src/download/plan.js';
import type { ExportRow } from '../../src/inventory/export.js';
import { downloadSummary, statusReport } from './helpers.js';

describe('flag values', () => {
  it('reads sizes in powers of 1024', () => {
    expect(parseSize('500M')).toBe(500 * 1024 ** 2);
    expect(parseSize('1.5GB')).toBe(1.5 * 1024 ** 3);
    expect(parseSize('2 GiB')).toBe(2 * 1024 ** 3);
    expect(parseSize('1048576')).toBe(1048576);
    expect(() => parseSize('lots')).toThrow(/Expected a size/);
  });

  it('reads durations like 2h, 90m and 1h30m', () => {
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('45')).toBe(45_000);
    expect(() => parseDuration('2 hours')).toThrow(/Expected a duration/);
  });

  it('shows sizes rounded for humans', () => {
    expect(formatBytes(473.568)).toBe('474 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
  });
});

describe('CSV export', () => {
  it('quotes commas, quotes and line breaks, and defuses spreadsheet formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(null)).toBe('');
    expect(csvField(42)).toBe('42');
  });

  it('writes a header and one line per row, sources flattened', async () => {
    const row: ExportRow = {
      fileToken: 'boxA',
      name: 'report "Q3", final.pdf',
      mimeType: 'application/pdf',
      size: 10,
      sha256: 'ab',
      status: 'done',
      path: 'media/bo/boxA.pdf',
      sources: [
        {
          docType: 'docx',
          docToken: 'doxA',
          location: 'blk1',
          title: 'Plan',
          url: 'https://acme.feishu.cn/docx/doxA',
        },
        { docType: 'sheet', docToken: 'shtB', location: 's1!A2', title: 'Budget; 2026', url: null },
      ],
      goneFromFeishu: false,
    };
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => {
      text += d.toString();
    });
    expect(await writeExport([row], 'csv', out)).toBe(1);
    expect(text).toBe(
      'fileToken,name,mimeType,size,sha256,status,path,sources,goneFromFeishu,seenAs,sourceTitles,sourceUrls\r\n' +
        'boxA,"report ""Q3"", final.pdf",application/pdf,10,ab,done,media/bo/boxA.pdf,docx:doxA:blk1; sheet:shtB:s1!A2,false,,' +
        'Plan; Budget; 2026,https://acme.feishu.cn/docx/doxA; \r\n',
    );
  });

  it('writes valid JSON for zero rows too', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => {
      text += d.toString();
    });
    await writeExport([], 'json', out);
    expect(JSON.parse(text)).toEqual([]);
  });
});

describe('terminal layout', () => {
  it('keeps both progress lines within 80 columns with large numbers', () => {
    const s = {
      ...emptyProgress('download'),
      docsCrawled: 123_456,
      mediaFound: 1_234_567,
      filesDone: 1_234_567,
      filesTotal: 9_876_543,
      bytesDone: 900 * 1024 ** 3,
      bytesTotal: 999 * 1024 ** 3,
      failed: 12_345,
      quotaLeft: 10_000,
    };
    const { head, tail } = describeProgress(s, 12.5 * 1024 ** 2);
    expect(displayWidth(head)).toBeLessThanOrEqual(80);
    // The bar (12), a space, "100%" and a space take 18 columns in front of the tail.
    expect(18 + displayWidth(tail)).toBeLessThanOrEqual(80);
  });

  it('on a terminal, still prints the lines logged just before the display stops', () => {
    let written = '';
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
    stream.on('data', (d: Buffer) => {
      written += d.toString();
    });
    const display = new TtyProgress(stream);
    display.update({ phase: 'download', filesTotal: 3 });
    display.log('warn: 3 files could not be downloaded');
    display.stop();
    expect(written).toContain('warn: 3 files could not be downloaded');
  });

  it('shows no byte total or ETA while files of unknown size are still to come', () => {
    const s = {
      ...emptyProgress('download'),
      filesDone: 12_345,
      filesTotal: 99_999,
      bytesDone: 93 * 1024 ** 2,
      bytesTotal: 106 * 1024 ** 2,
      unknownSize: 140_000,
    };
    const { tail } = describeProgress(s, 12.5 * 1024 ** 2);
    expect(tail).toBe('12,345/99,999 files  93 MB, 140,000 sizes unknown  13 MB/s');
    expect(18 + displayWidth(tail)).toBeLessThanOrEqual(80);
    expect(describeProgress({ ...s, unknownSize: 0 }, 12.5 * 1024 ** 2).tail).toMatch(
      /93 MB\/106 MB .*ETA 1s/,
    );
  });

  it('wraps by display width, counting CJK as two columns', () => {
    const wrapped = wrapText(
      '警告 合同扫描件.pdf could not be downloaded because the app lacks permission',
      30,
      '  ',
    );
    for (const line of wrapped.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(30);
  });

  it('keeps the leading indentation of a wrapped line', () => {
    const wrapped = wrapText('    fix: share the document with the app, then run again', 30, '         ');
    expect(wrapped.split('\n')[0]).toMatch(/^ {4}fix: share/);
    expect(wrapped.split('\n')[1]).toMatch(/^ {9}\S/);
  });
});

describe('documents gone from Feishu', () => {
  const after = statusReport({
    documents: { total: 10, byType: { docx: 10 }, byStatus: { done: 6, error: 1, gone: 3 } },
  });

  it('status counts them beside the documents with errors', () => {
    expect(renderStatus(after, 'inv.sqlite', 'out', 'Asia/Shanghai')).toContain(
      'Documents  10: 10 documents (1 with errors, 3 gone from Feishu)',
    );
  });

  it('the closing summary says how many this crawl found gone', () => {
    const text = renderSummary(
      {
        command: 'crawl',
        dryRun: false,
        durationMs: 1000,
        interrupted: false,
        crawl: {
          documents: {
            docx: { ...emptyCounts(), changed: 2, gone: 2 },
            sheet: { ...emptyCounts(), gone: 1 },
          },
          failures: [],
          refs: { found: 4, new: 0, gone: 5 },
          media: { new: 0 },
          calls: {},
          interrupted: false,
        },
        after,
        outputDir: 'out',
        database: 'inv.sqlite',
      },
      0,
    );
    expect(text).toMatch(
      /Crawled +2 read, 0 unchanged, 3 gone from Feishu \(files kept\); 0 new media,\s+5 references gone/,
    );
  });
});

describe('files whose documents are gone from Feishu', () => {
  const after = statusReport({
    documents: { total: 2, byType: { docx: 2 }, byStatus: { done: 1, gone: 1 } },
    media: {
      total: { count: 5, bytes: 500 },
      byStatus: { done: { count: 2, bytes: 200 }, pending: { count: 3, bytes: 300 } },
      goneFromFeishu: { count: 3, bytes: 300 },
    },
    bytesOnDisk: 200,
  });
  const plan = { ...emptyPlan(), skippedGone: 3 };
  const report = {
    command: 'backup',
    durationMs: 1000,
    interrupted: false,
    plan,
    after,
    outputDir: 'out',
    database: 'inv.sqlite',
  };

  it('status counts them under the media', () => {
    expect(renderStatus(after, 'inv.sqlite', 'out', 'Asia/Shanghai')).toMatch(
      /Media {6}5 files, 500 B known: done 2, pending 3\n {11}3 files left out because their documents are gone from Feishu\n/,
    );
  });

  it('a dry run says it leaves them out, as it does files left out by option', () => {
    const text = renderSummary({ ...report, dryRun: true, plan: { ...plan, skippedByOption: 2 } }, 0);
    expect(text).toMatch(
      /\nSkipped {5}2 whiteboards\/drive files left out by option.*\n.*\n {12}3 files left out because their documents are gone from Feishu\n/,
    );
    expect(renderSummary({ ...report, dryRun: true }, 0)).toMatch(
      /\nSkipped {5}3 files left out because their documents are gone from Feishu\n/,
    );
  });

  it('are neither left for the next run nor a reason for exit 3', () => {
    const download = downloadSummary({ left: plan });
    expect(exitCodeFor({ ...report, dryRun: false, download })).toBe(0);
    const text = renderSummary({ ...report, dryRun: false, download }, 0);
    expect(text).toMatch(
      /\nSkipped {5}2 already backed up\n {12}3 files left out because their documents are gone from Feishu\n/,
    );
    expect(text).toMatch(/\nLeft {8}nothing\n/);
  });
});

describe('a spent download day in the run summary', () => {
  const after = statusReport({
    documents: { total: 1, byType: { docx: 1 }, byStatus: { done: 1 } },
    media: {
      total: { count: 3, bytes: 300 },
      byStatus: { done: { count: 1, bytes: 100 } },
      goneFromFeishu: { count: 0, bytes: 0 },
    },
    bytesOnDisk: 100,
  });
  const download = (quotaSpentBy: Record<string, 'counter' | 'server'>) =>
    downloadSummary({
      stopReason: 'quota',
      downloaded: 1,
      bytesReceived: 100,
      bytesPublished: 100,
      requests: 3,
      left: { ...emptyPlan(), files: 2 },
      quota: {
        bucket: 'media.download',
        day: '2026-01-01',
        used: 3,
        limit: 10_000,
        remaining: 9_997,
        resetsAt: 0,
      },
      quotaSpent: Object.keys(quotaSpentBy),
      quotaSpentBy,
    });
  const report = {
    command: 'backup',
    dryRun: false,
    durationMs: 1000,
    interrupted: false,
    after,
    outputDir: 'out',
    database: 'inv.sqlite',
  };

  it("says whether our count or Feishu's lasting 1061045 ended the day", () => {
    const byServer = renderSummary({ ...report, download: download({ 'media.download': 'server' }) }, 4);
    expect(byServer).toMatch(
      /media downloads stopped for today: Feishu kept answering 1061045\s+through the backoff/,
    );
    for (const line of byServer.split('\n').slice(1)) expect(line.length).toBeLessThanOrEqual(79);
    const byCount = renderSummary({ ...report, download: download({ 'drive.download': 'counter' }) }, 4);
    expect(byCount).toMatch(/drive-file downloads stopped for today: our count reached the daily\s+cap/);
  });
});

describe('status per fetch path', () => {
  it('shows today per path once temporary URLs were used, in 80 columns, and nothing before', () => {
    const used = statusReport({
      fetchPaths: [
        { via: 'direct', files: 10_000, bytes: 3e9, requests: 10_000 },
        { via: 'tmp-url', files: 4212, bytes: 1.2e9, requests: 4212, batchCalls: 843 },
      ],
    });
    const text = renderStatus(used, 'inv.sqlite', 'out', 'Asia/Shanghai');
    expect(text).toMatch(
      /Paths {6}media today: direct 10,000 files, .*, 10,000 requests;\n {11}temporary URLs 4,212 files, .*, 4,212 fetches, 843 batch calls/,
    );
    for (const line of text.split('\n').filter((l) => /Paths|temporary URLs/.test(l))) {
      expect(line.length).toBeLessThanOrEqual(80);
    }
    const unused = statusReport({
      fetchPaths: [
        { via: 'direct', files: 3, bytes: 30, requests: 3 },
        { via: 'tmp-url', files: 0, bytes: 0, requests: 0, batchCalls: 0 },
      ],
    });
    expect(renderStatus(unused, 'inv.sqlite', 'out', 'Asia/Shanghai')).not.toContain('Paths');
  });
});
