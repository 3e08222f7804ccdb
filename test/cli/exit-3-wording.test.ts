import { describe, expect, it } from 'vitest';
import { renderSummary } from '../../src/cli/summary.js';
import { emptyPlan } from '../../src/download/plan.js';
import { downloadSummary, REPORT_BASE, statusReport } from './helpers.js';

const unbackable = { total: 2, groups: [] };
const report = REPORT_BASE;

describe('exit 3 when the only cause is media nothing can download', () => {
  it('says that cause and what to do, not "some files or documents failed"', () => {
    const after = statusReport({ unbackable });
    const text = renderSummary({ ...report, dryRun: false, after, download: downloadSummary() }, 3);
    const result = text.slice(text.indexOf('Result')).replace(/\s+/g, ' ');
    expect(result).toContain(
      'Result finished, but 2 media-shaped objects could not be backed up (see Not saved): no API call downloads them. Nothing to fix in Feishu or the config; please report it with a --record-shapes capture (README, "Not backed up") (exit 3)',
    );
    expect(text).not.toContain('some files or documents failed');
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(79);
  });

  it('in a dry run too', () => {
    const after = statusReport({ unbackable: { total: 1, groups: [] } });
    const text = renderSummary({ ...report, dryRun: true, after, plan: emptyPlan() }, 3);
    expect(text.replace(/\s+/g, ' ')).toContain(
      'nothing was downloaded; 1 media-shaped object could not be backed up (see Not saved) (exit 3)',
    );
  });

  it('keeps the general wording when files or documents failed as well', () => {
    const after = statusReport({
      unbackable,
      documents: { total: 1, byType: { docx: 1 }, byStatus: { error: 1 } },
    });
    const text = renderSummary({ ...report, dryRun: false, after, download: downloadSummary() }, 3);
    expect(text).toMatch(/Result +finished, but some files or documents failed \(see above\) \(exit 3\)/);
    const failed = downloadSummary({ left: { ...emptyPlan(), files: 1 } });
    const withFiles = renderSummary(
      { ...report, dryRun: false, after: statusReport({ unbackable }), download: failed },
      3,
    );
    expect(withFiles).toMatch(/Result +finished, but some files or documents failed/);
  });
});
