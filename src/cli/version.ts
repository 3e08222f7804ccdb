import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package.json version, found from src/cli/ or dist/src/cli/. */
export function packageVersion(): string {
  for (const rel of ['../../package.json', '../../../package.json']) {
    const file = fileURLToPath(new URL(rel, import.meta.url));
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'feishu-backup' && pkg.version) return pkg.version;
  }
  return '0.0.0-unknown';
}
