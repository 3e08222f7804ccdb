import { readFileSync } from 'node:fs';
import { ConfigError } from './errors.js';

/** Reads the JSON config file as one object without `$` keys; throws a ConfigError saying what to fix. */
export function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`;
    throw new ConfigError([
      `${file} ${why}; pass --config with the path of your config file, or run "feishu-backup init" to write one`,
    ]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ConfigError(
      [
        `the file is not valid JSON (${(e as Error).message}); JSON allows no comments or trailing commas: use "$comment" keys for notes`,
      ],
      file,
    );
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(['the file must hold one JSON object, e.g. {"appId": "…", "roots": […]}'], file);
  }
  return stripComments(value) as Record<string, unknown>;
}

/** Drops keys that start with `$` (`"$comment"`, `"$schema"`) at every depth: JSON has no comments. */
export function stripComments(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripComments);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !k.startsWith('$'))
        .map(([k, v]) => [k, stripComments(v)]),
    );
  }
  return value;
}
