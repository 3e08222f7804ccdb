export { FEISHU_BASE_URL, LARK_BASE_URL } from './base-url.js';
export { DEFAULT_CONFIG_FILE, findConfigFile } from './discover.js';
export { ConfigError } from './errors.js';
export { type ConfigInput, DATABASE_FILE, type LoadConfigOptions, loadConfig } from './load.js';
export { EXAMPLE_APP_ID } from './placeholders.js';
export { parseRootUrl, type UrlParse } from './root-url.js';
export { parseRoot, rootSpec, rootToken } from './roots.js';
export {
  type Archive,
  archiveOf,
  type Config,
  type CrawlSettings,
  crawlOf,
  DEFAULT_ARCHIVE,
  type Limits,
  type Root,
} from './types.js';
