import { parseRoot, rootSpec } from './roots.js';
import type { Root } from './types.js';

/** The `roots` list, deduplicated; problems go to `problems`. A non-array gives none: the schema reports it. */
export function parseRoots(raw: unknown, problems: string[]): Root[] {
  if (!Array.isArray(raw)) return [];
  const roots: Root[] = [];
  const seen = new Set<string>();
  raw.forEach((entry, i) => {
    const r = parseRoot(entry, `roots[${i}]`);
    if (!r.ok) {
      problems.push(...r.problems);
      return;
    }
    // The same root listed twice (a URL and its token) is crawled once.
    const spec = rootSpec(r.root);
    if (seen.has(spec)) return;
    seen.add(spec);
    roots.push(r.root);
  });
  return roots;
}
