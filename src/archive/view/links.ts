import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../../inventory/open.js';
import { splitEmbedded } from '../../sources/docx/extract.js';
import type { EmbeddedDocumentType, LinkResolver } from '../render/index.js';
import type { ViewPlan } from './plan.js';

/** How many links of the view resolved to a local file, and how many show "not backed up". */
export interface LinkCounts {
  resolved: number;
  missing: number;
}

/**
 * Answers the renderers' link questions from the inventory: a media file is linked only when its row
 * says `done` and the file is really there, so every link in the view opens something.
 */
export class ViewLinks {
  readonly counts: LinkCounts = { resolved: 0, missing: 0 };
  readonly #media = new Map<string, string>();
  readonly #exists = new Map<string, boolean>();

  constructor(
    db: Db,
    readonly outputDir: string,
    readonly plan: ViewPlan,
    /**
     * Whether a stored file counts as there (relative path). With an object storage target that
     * keeps no local copies, a file in the bucket counts: the view is read from the bucket's mirror.
     * @default the file exists under outputDir
     */
    readonly present: (stored: string) => boolean = (stored) => existsSync(path.join(outputDir, stored)),
  ) {
    const rows = db
      .prepare("SELECT file_token, path FROM media WHERE status = 'done' AND path IS NOT NULL")
      .all() as { file_token: string; path: string }[];
    for (const r of rows) this.#media.set(r.file_token, r.path.split(path.sep).join('/'));
  }

  /** A resolver for links written into `from` (a view path relative to outputDir). */
  for(from: string): LinkResolver {
    const dir = path.posix.dirname(from);
    const relative = (target: string | undefined): string | undefined => {
      if (target === undefined) {
        this.counts.missing++;
        return undefined;
      }
      this.counts.resolved++;
      return path.posix.relative(dir, target);
    };
    return {
      media: (token) => relative(this.#mediaPath(token)),
      document: (type, token) => relative(this.#documentPath(type, token)),
    };
  }

  #mediaPath(token: string): string | undefined {
    const stored = this.#media.get(token);
    if (stored === undefined) return undefined;
    let exists = this.#exists.get(stored);
    if (exists === undefined) {
      exists = this.present(stored);
      this.#exists.set(stored, exists);
    }
    return exists ? stored : undefined;
  }

  #documentPath(type: EmbeddedDocumentType, token: string): string | undefined {
    if (type === 'board') return this.#mediaPath(token);
    if (type === 'docx') return this.plan.byKey.get(`docx:${token}`);
    if (type === 'bitable') return this.plan.byKey.get(`bitable:${token}`);
    if (type === 'sheet') {
      // A block naming no sheet shows the first; a named sheet that was not captured is not faked.
      const parts = splitEmbedded(token);
      return parts?.id
        ? this.plan.byKey.get(`sheet:${token}`)
        : this.plan.firstSheet.get(parts?.token ?? token);
    }
    return undefined;
  }
}
