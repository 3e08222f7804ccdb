import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/commands/status.js';
import { displayWidth } from '../../src/cli/format.js';
import { describeProgress, emptyProgress } from '../../src/cli/progress.js';
import { renderSummary } from '../../src/cli/summary.js';
import { endMessage, startMessage } from '../../src/download/end-message.js';
import { emptyPlan } from '../../src/download/plan.js';
import { downloadSummary, REPORT_BASE, statusReport } from './helpers.js';

const one = statusReport({
  documents: { total: 1, count: 1, byType: { docx: 1 }, byStatus: { done: 1 } },
  media: {
    total: { count: 1, bytes: 2048 },
    byStatus: { done: { count: 1, bytes: 2048 } },
    goneFromFeishu: { count: 1, bytes: 10 },
  },
  bytesOnDisk: 2048,
});
const report = REPORT_BASE;

describe('one of a thing is said in the singular', () => {
  it('in the run summary', () => {
    const download = downloadSummary({ downloaded: 1, bytesPublished: 2048, requests: 1 });
    const text = renderSummary({ ...report, dryRun: false, after: one, download }, 0);
    expect(text).toMatch(/Found +1 document, 1 media file \(2\.0 KB known\)\n/);
    expect(text).toMatch(/1 file, 2\.0 KB \(1 request\)/);
    const dry = renderSummary({ ...report, dryRun: true, after: one, plan: { ...emptyPlan(), files: 1 } }, 0);
    expect(dry).toMatch(/dry run: 1 file, 0 B known/);
  });

  it('in status and the progress line', () => {
    const status = renderStatus(one, 'inv.sqlite', 'out', 'Asia/Shanghai');
    expect(status).toMatch(/Media {6}1 file, 2\.0 KB known/);
    expect(status).toContain('1 file left out because its document is gone from Feishu');
    const progress = { ...emptyProgress('crawl'), docsCrawled: 1, mediaFound: 1 };
    expect(describeProgress(progress, 0).head).toBe('crawl    1 doc  1 media file');
  });
});

describe("the downloader's first and last lines", () => {
  it('give sizes and counts as people read them, in the singular for one', () => {
    const plan = { ...emptyPlan(), files: 1, bytesKnown: 2048 };
    expect(startMessage(plan, 5, 1)).toBe('Downloading 1 file (2.0 KB known) at 5/s; 1 request left today.');
    const end = endMessage(downloadSummary({ downloaded: 1, bytesReceived: 1536, requests: 1 }));
    expect(end).toBe('Downloaded 1 file, 1.5 KB in 1 request; 0 left.');
  });

  it('keeps the first line within 80 columns for millions of files and terabytes', () => {
    const plan = { ...emptyPlan(), files: 1_234_567, bytesKnown: 1000 * 1024 ** 3 };
    const line = startMessage(plan, 5, 10_000);
    expect(line).toBe('Downloading 1,234,567 files (1000 GB known) at 5/s; 10,000 requests left today.');
    expect(displayWidth(line)).toBeLessThanOrEqual(80);
  });
});
