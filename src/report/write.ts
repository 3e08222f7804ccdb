import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../inventory/open.js';
import { collectReportData } from './collect.js';
import { renderReportHtml } from './render.js';
import type { ReportMeta } from './types.js';

export interface WrittenReport {
  path: string;
  bytes: number;
  mediaFiles: number;
}

/**
 * Writes the audit report of the inventory to `outFile`. Written to a temporary file beside it and
 * renamed, so an auditor never opens half a report, and an older one survives a failed export.
 */
export function writeHtmlReport(
  db: Db,
  outFile: string,
  meta: Omit<ReportMeta, 'reportPath'>,
): WrittenReport {
  const target = path.resolve(outFile);
  const data = collectReportData(db, { ...meta, reportPath: target });
  const html = renderReportHtml(data);
  const tmp = `${target}.${process.pid}.tmp`;
  mkdirSync(path.dirname(target), { recursive: true });
  try {
    writeFileSync(tmp, html);
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  return { path: target, bytes: Buffer.byteLength(html), mediaFiles: data.media.length };
}
