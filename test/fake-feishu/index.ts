/**
 * The fake Feishu Open API: a strict loopback test double the crawl, downloader, CLI, demo and
 * benchmarks run against. See README.md.
 */
export { type BlockTree, block } from './blocks.js';
export { addBitable, addRecord, addTable, type TableSpec } from './builders/bitable.js';
export { addDocx, appendBlocks } from './builders/docx.js';
export { addDriveFile, addFolder, addShortcut, uploadNewVersion } from './builders/drive.js';
export { addBoard, addMedia } from './builders/media.js';
export { disableDownload } from './builders/permissions.js';
export { addSpreadsheet, cell, type SheetSpec } from './builders/sheets.js';
export { EPOCH_SECONDS, emptyTenant, idRng, type Placement } from './builders/tenant.js';
export { addUser, hideFromApp, joinSpace } from './builders/user.js';
export { addWikiNode, addWikiSpace } from './builders/wiki.js';
export { fakeConfig } from './config.js';
export type { FakeRequest, RouteName } from './contract.js';
export { demoTenant } from './demo-tenant.js';
export { type ExpectedMedia, expectedMedia } from './expected.js';
export type { ArmedFault, Fault, FaultSpec } from './faults.js';
export { type GenerateOptions, generateTenant } from './generate.js';
export { DOCUMENTED_LIMITS, type RateLimit } from './limits.js';
export { mediaBytes, mediaContentKey, mediaSha256, mediaStream } from './media-bytes.js';
export type * from './model.js';
export { addRealSampleDocs } from './real-samples.js';
export type { RequestRecord, UnexpectedRequest } from './request-record.js';
export { BITABLE_MAX_RESPONSE_BYTES, BITABLE_TOO_LARGE_CODE } from './routes/bitable.js';
export { SHEETS_MAX_RESPONSE_BYTES, SHEETS_TOO_LARGE_CODE } from './routes/sheets.js';
export { FakeFeishu, type FakeFeishuOptions, startFakeFeishu } from './server.js';
