import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** BENCHMARKS.md at the package root, whether this runs from `bench/` (tsx) or `dist/bench/`. */
export const BENCHMARKS_FILE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  import.meta.url.includes('/dist/') ? '../..' : '..',
  'BENCHMARKS.md',
);

/**
 * Replaces the section whose heading is the first line of `section` (`## Download`) in BENCHMARKS.md,
 * or appends it, leaving every other section alone: each benchmark owns one section.
 */
export function writeBenchmarksSection(section: string, file = BENCHMARKS_FILE): void {
  const heading = section.split('\n', 1)[0]!.trim();
  if (!/^## \S/.test(heading)) throw new Error(`A section starts with its "## " heading, got "${heading}"`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    text = '# Benchmarks\n';
  }
  const escaped = heading.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const start = text.search(new RegExp(`^${escaped}\\s*$`, 'm'));
  if (start === -1) {
    writeFileSync(file, `${text.trimEnd()}\n\n${section}`);
    return;
  }
  const rest = text.slice(start + 1);
  const next = rest.search(/^## /m);
  const end = next === -1 ? text.length : start + 1 + next;
  writeFileSync(file, `${text.slice(0, start)}${section}${end < text.length ? `\n${text.slice(end)}` : ''}`);
}
