import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openInventory, PAGE_CACHE_KIB } from '../../src/inventory/open.js';

describe('opening the inventory', () => {
  it("keeps SQLite's page cache at 2 MiB, not better-sqlite3's 16 MiB, writable or read-only", () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fb-inv-')), 'inventory.db');
    const db = openInventory(file);
    // Negative: KiB. A cache that fills as the inventory grows is memory that grows with the tenant.
    expect(db.pragma('cache_size', { simple: true })).toBe(-PAGE_CACHE_KIB);
    expect(PAGE_CACHE_KIB).toBe(2000);
    db.close();
    const readonly = openInventory(file, { readonly: true });
    expect(readonly.pragma('cache_size', { simple: true })).toBe(-2000);
    readonly.close();
  });
});
