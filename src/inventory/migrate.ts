import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';

/** `migrations/` at the package root, found from this file whether it runs from src/ or dist/src/. */
export function defaultMigrationsDir(): string {
  for (const relative of ['../../migrations/', '../../../migrations/']) {
    const candidate = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`migrations/ not found above ${fileURLToPath(import.meta.url)}`);
}

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Reads `NNNN_name.sql` files in version order; a gap or a repeated number is a packaging bug. */
export function loadMigrations(dir = defaultMigrationsDir()): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 4)), name: f, sql: readFileSync(`${dir}/${f}`, 'utf8') }));
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} should be number ${i + 1}`);
  });
  return migrations;
}

export class SchemaTooNewError extends Error {
  override readonly name = 'SchemaTooNewError';
  readonly code = 'INVENTORY_SCHEMA_TOO_NEW';
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `The inventory was written by a newer feishu-backup (schema ${found}; this version knows up to ${known}). ` +
        'Upgrade feishu-backup, or point --database at another file.',
    );
  }
}

/**
 * Brings the schema up to date, one transaction per migration, so a failing migration leaves the
 * previous schema intact. Refuses a database from a newer version rather than guessing.
 */
export function migrate(db: Database.Database, migrations = loadMigrations()): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  const known = migrations.length;
  if (from > known) throw new SchemaTooNewError(from, known);
  for (const m of migrations.slice(from)) {
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return { from, to: known };
}
