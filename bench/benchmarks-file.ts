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
  // Parts another bench writes into this section (see writeBenchmarksSubsection) stay.
  const kept = ownedSubsections(text.slice(start, end)).filter(
    (p) => !section.includes(p.split('\n', 1)[0]!),
  );
  const whole = kept.length ? `${section.trimEnd()}\n\n${kept.join('\n')}` : section;
  writeFileSync(file, `${text.slice(0, start)}${whole}${end < text.length ? `\n${text.slice(end)}` : ''}`);
}

/** Marks a `### ` part of a section as written by a bench of its own: the line after its heading. */
const OWNED = /^<!-- written by \S+ -->$/;

/** The `### ` parts of a section that a bench of their own writes, each to the next heading. */
function ownedSubsections(section: string): string[] {
  const parts = section.split(/^(?=#{2,3} )/m).filter((p) => p.startsWith('### '));
  return parts.filter((p) => OWNED.test(p.split('\n')[1]?.trim() ?? '')).map((p) => `${p.trimEnd()}\n`);
}

/**
 * Replaces (or appends) the `### ` part `sub` inside the section headed `parent` (`## Download`),
 * leaving the rest of that section and the file alone; `sub`'s second line must be the
 * `<!-- written by bench/x.ts -->` mark, so that the section's own bench keeps it when it rewrites.
 */
export function writeBenchmarksSubsection(parent: string, sub: string, file = BENCHMARKS_FILE): void {
  const lines = sub.split('\n');
  if (!/^### \S/.test(lines[0] ?? '') || !OWNED.test(lines[1]?.trim() ?? '')) {
    throw new Error(
      `A part starts with its "### " heading and the "<!-- written by ... -->" mark, got "${lines[0]}"`,
    );
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    text = '# Benchmarks\n';
  }
  const escaped = parent.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const start = text.search(new RegExp(`^${escaped}\\s*$`, 'm'));
  if (start === -1) {
    writeFileSync(file, `${text.trimEnd()}\n\n${parent}\n\n${sub}`);
    return;
  }
  const next = text.slice(start + 1).search(/^## /m);
  const end = next === -1 ? text.length : start + 1 + next;
  const section = text.slice(start, end);
  const old = ownedSubsections(section).find((p) => p.split('\n', 1)[0] === lines[0]);
  const body = old
    ? section.replace(old.trimEnd(), () => sub.trimEnd())
    : `${section.trimEnd()}\n\n${sub.trimEnd()}\n`;
  writeFileSync(
    file,
    `${text.slice(0, start)}${body}${end < text.length && !body.endsWith('\n\n') ? '\n' : ''}${text.slice(end)}`,
  );
}
