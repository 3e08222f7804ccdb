import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describeJson } from './describe.js';

/** One distinct answer of one endpoint: nothing in it is a value the server sent but codes and sizes. */
export interface ResponseShape {
  status: number;
  /** The envelope's `code` (0 on success), when the body is a Feishu envelope. */
  code?: number;
  /** Response header names, lowercased and sorted (never their values). */
  headers: string[];
  /** `path: type` of the JSON body (see describe.ts); absent for file bodies. */
  keys?: string[];
  /** `binary` for file bodies, `json` for JSON. */
  body: 'json' | 'binary' | 'empty';
  /** How many answers had this shape. */
  seen: number;
  /** Smallest and largest length seen per top-level array (page sizes). */
  pageSizes?: Record<string, [number, number]>;
}

export interface ShapeFile {
  format: 1;
  /** What this file describes; a user's capture says `feishu-backup --record-shapes`. */
  source: string;
  /**
   * True when the keys are only part of what the responses hold (a file made from samples that
   * kept only some of the body): compare only that every listed key exists.
   */
  partial?: boolean;
  endpoints: Record<string, ResponseShape[]>;
}

export const SHAPE_FILE = 'feishu-shapes.json';

export interface Answer {
  status: number;
  headers: Record<string, unknown>;
  /** The parsed JSON body, or undefined for a file body. */
  json?: unknown;
  /** For file bodies: was there any. */
  binary?: boolean;
}

/**
 * Collects the shape of every answer per endpoint (bucket name: `docx.blocks`, `media.download`),
 * one entry per distinct shape. `--record-shapes DIR` writes them for a bug report: endpoint names,
 * key paths, types, codes, statuses, header names and page sizes, never a token, name, text or URL.
 */
export class ShapeRecorder {
  readonly #shapes = new Map<string, Map<string, ResponseShape>>();

  record(endpoint: string, answer: Answer): void {
    const json = answer.json;
    const described = json === undefined ? undefined : describeJson(json);
    const code =
      json && typeof json === 'object' && typeof (json as { code?: unknown }).code === 'number'
        ? (json as { code: number }).code
        : undefined;
    const shape: ResponseShape = {
      status: answer.status,
      headers: Object.keys(answer.headers)
        .map((h) => h.toLowerCase())
        .sort(),
      body: described ? 'json' : answer.binary ? 'binary' : 'empty',
      seen: 1,
    };
    if (code !== undefined) shape.code = code;
    if (described) shape.keys = described.keys;
    const id = JSON.stringify([shape.status, shape.code, shape.headers, shape.body, shape.keys]);
    const byId = this.#shapes.get(endpoint) ?? new Map<string, ResponseShape>();
    this.#shapes.set(endpoint, byId);
    const known = byId.get(id);
    const target = known ?? shape;
    if (known) known.seen++;
    else byId.set(id, shape);
    for (const [p, n] of Object.entries(described?.arrays ?? {})) {
      target.pageSizes ??= {};
      const [lo, hi] = target.pageSizes[p] ?? [n, n];
      target.pageSizes[p] = [Math.min(lo, n), Math.max(hi, n)];
    }
  }

  /** Everything recorded so far, merged into `base` (an earlier file of the same folder). */
  toFile(base?: ShapeFile): ShapeFile {
    const file: ShapeFile = base ?? {
      format: 1,
      source: 'feishu-backup --record-shapes',
      endpoints: {},
    };
    for (const [endpoint, byId] of this.#shapes) {
      file.endpoints[endpoint] ??= [];
      const list = file.endpoints[endpoint];
      for (const shape of byId.values()) {
        const same = list.find((s) => sameShape(s, shape));
        if (!same) {
          list.push(structuredClone(shape));
          continue;
        }
        same.seen += shape.seen;
        for (const [p, [lo, hi]] of Object.entries(shape.pageSizes ?? {})) {
          same.pageSizes ??= {};
          const [a, b] = same.pageSizes[p] ?? [lo, hi];
          same.pageSizes[p] = [Math.min(a, lo), Math.max(b, hi)];
        }
      }
    }
    return file;
  }

  /** Writes (merging with an earlier capture in the folder, e.g. last night's) `DIR/feishu-shapes.json`; returns its path. */
  write(dir: string): string {
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, SHAPE_FILE);
    let base: ShapeFile | undefined;
    try {
      base = JSON.parse(readFileSync(file, 'utf8')) as ShapeFile;
      if (base.format !== 1 || typeof base.endpoints !== 'object') base = undefined;
    } catch {
      base = undefined;
    }
    const temp = `${file}.tmp-${process.pid}`;
    writeFileSync(temp, `${JSON.stringify(this.toFile(base), null, 2)}\n`);
    renameSync(temp, file);
    // Written: a later write adds only what is recorded after this one.
    this.#shapes.clear();
    return file;
  }
}

function sameShape(a: ResponseShape, b: ResponseShape): boolean {
  return (
    a.status === b.status &&
    a.code === b.code &&
    a.body === b.body &&
    JSON.stringify(a.headers) === JSON.stringify(b.headers) &&
    JSON.stringify(a.keys) === JSON.stringify(b.keys)
  );
}
