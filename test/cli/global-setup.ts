import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The CLI tests run the built bin as a child process, as users do. Build once per test run, and only
 * when a source is newer than the build (incremental), so runs that do not touch src/ stay fast.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const SOURCES = ['src', 'bench', 'test/fake-feishu', 'migrations', 'package.json', 'tsconfig.json'];

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export default function setup(): void {
  const builtAt = existsSync(BIN) ? statSync(BIN).mtimeMs : 0;
  const changed = SOURCES.map((p) => join(ROOT, p))
    .filter(existsSync)
    .some((p) => newestMtime(p) > builtAt);
  if (!changed) return;
  try {
    execFileSync(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
        '-p',
        'tsconfig.build.json',
        '--incremental',
        '--tsBuildInfoFile',
        'dist/.tsbuildinfo',
      ],
      { cwd: ROOT, stdio: 'pipe' },
    );
  } catch (e) {
    // Type errors still emit JavaScript; `npm run typecheck` is where they fail the build.
    if (!existsSync(BIN)) throw new Error(`build failed: ${String((e as { stdout?: Buffer }).stdout ?? e)}`);
  }
}
