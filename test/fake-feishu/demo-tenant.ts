import { generateTenant } from './generate.js';
import type { Tenant } from './model.js';
import { addRealSampleDocs } from './real-samples.js';

/**
 * The tenant `npm run demo` backs up: folders, a wiki, sheets, bitables, a drive file, whiteboards,
 * a few forbidden and deleted media on purpose, and the three real sample documents. Tests that
 * promise something about the demo use this same tenant.
 */
export function demoTenant(): Tenant {
  const tenant = generateTenant({
    seed: 42,
    folders: 3,
    docxPerFolder: 4,
    sheets: 2,
    bitables: 2,
    recordsPerTable: 20,
  });
  addRealSampleDocs(tenant);
  return tenant;
}
