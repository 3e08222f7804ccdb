export { collectReportData } from './collect.js';
export { renderReportHtml } from './render.js';
export type { MediaState, ReportData, ReportMeta } from './types.js';
export { type WrittenReport, writeHtmlReport } from './write.js';
