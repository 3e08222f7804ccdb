/**
 * The shape of a JSON value with every value redacted: its key paths and the type at each
 * (`data.items[].block_id: string`), never a string, number or name. Keys that may be user content
 * are replaced too: the children of a bitable record's `fields` (keyed by field name), and any key
 * that is not a plain identifier or looks like a token.
 */

export interface JsonShape {
  /** `path: type`, sorted; arrays as `path[]`, their elements' union under it. */
  keys: string[];
  /** Array lengths seen at the first two levels (`data.items`): the page sizes. */
  arrays: Record<string, number>;
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** Objects keyed by user content (bitable records' `fields` is keyed by field NAME). */
const MAP_KEYS = new Set(['fields']);

/** True for a key that reads like an id or a token rather than a field name (`doxcnAbC123...`). */
function tokenLike(key: string): boolean {
  return key.length >= 12 && /\d/.test(key) && /[A-Z]/.test(key) && /[a-z]/.test(key);
}

export function safeKey(key: string): string {
  return IDENTIFIER.test(key) && !tokenLike(key) ? key : '<key>';
}

export function describeJson(value: unknown): JsonShape {
  const keys = new Set<string>();
  const arrays: Record<string, number> = {};
  walk(value, '', keys, arrays, false, 0);
  return { keys: [...keys].sort(), arrays };
}

function walk(
  value: unknown,
  path: string,
  keys: Set<string>,
  arrays: Record<string, number>,
  inMap: boolean,
  depth: number,
): void {
  if (Array.isArray(value)) {
    if (depth <= 2 && path) arrays[path] = value.length;
    const at = `${path}[]`;
    if (value.length === 0) keys.add(`${at}: empty`);
    for (const item of value) walk(item, at, keys, arrays, false, depth + 1);
    return;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && path) keys.add(`${path}: {}`);
    for (const [k, v] of entries) {
      const name = inMap ? '<name>' : safeKey(k);
      const child = path ? `${path}.${name}` : name;
      walk(v, child, keys, arrays, MAP_KEYS.has(k) && !inMap, depth + 1);
    }
    return;
  }
  keys.add(`${path || '(body)'}: ${value === null ? 'null' : typeof value}`);
}
