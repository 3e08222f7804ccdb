/**
 * The fake Feishu Open API: a strict loopback test double the crawl, downloader, CLI, demo and
 * benchmarks run against. See README.md.
 */
export { type BlockTree, block } from './blocks.js';
export * from './builders.js';
export type { FakeRequest, RouteName } from './contract.js';
export { demoTenant } from './demo-tenant.js';
export { type ExpectedMedia, expectedMedia } from './expected.js';
export type { ArmedFault, Fault, FaultSpec } from './faults.js';
export { type GenerateOptions, generateTenant } from './generate.js';
export type { RateLimit } from './limits.js';
export { mediaBytes, mediaSha256, mediaStream } from './media-bytes.js';
export type * from './model.js';
export { addRealSampleDocs } from './real-samples.js';
export { SHEETS_MAX_RESPONSE_BYTES, SHEETS_TOO_LARGE_CODE } from './routes/sheets.js';
export {
  FakeFeishu,
  type FakeFeishuOptions,
  type RequestRecord,
  startFakeFeishu,
  type UnexpectedRequest,
} from './server.js';
