import { sanitizeFilename } from './sanitize-filename.js';

/** The extensions an entry of the view may take beside its bare name (a folder). */
const EXTENSIONS = ['', '.md', '.csv'];

/**
 * Names of the entries of one folder, made safe and unique by the rules every stored name follows:
 * the title goes through `sanitizeFilename` (a valid name on Linux, macOS and Windows; at most 200
 * bytes with its extension and suffix), and a name already taken in the folder, also ignoring case
 * (Windows, macOS), gets ` (<id>)` as `by-document` does for two files of one name. A claimed stem
 * holds all its forms at once (`X/`, `X.md`, `X.csv`), so a document's Markdown file, its CSV and
 * the folder beside it that holds what it embeds can never collide with another entry's.
 */
export class FolderNames {
  readonly #taken = new Set<string>();

  /** Marks a name as used (e.g. `index.md`): no stem that would produce it is handed out. */
  reserve(name: string): void {
    this.#taken.add(key(name));
  }

  /** A stem for `title` (else `fallback`, else `id`) that no earlier claim in this folder shares. */
  claim(title: string | null, id: string, fallback = id): string {
    const safeId = sanitizeFilename(id, { fallback: 'id', maxBytes: 64 });
    const stem = sanitizeFilename(title ?? '', {
      fallback: sanitizeFilename(fallback, { fallback: safeId, maxBytes: 64 }),
      maxBytes: 120,
    });
    for (let i = 1; ; i++) {
      const raw = i === 1 ? stem : i === 2 ? `${stem} (${safeId})` : `${stem} (${safeId}-${i})`;
      const candidate = sanitizeFilename(raw, { maxBytes: 196 });
      const forms = EXTENSIONS.map((ext) => key(candidate + ext));
      if (forms.some((f) => this.#taken.has(f))) continue;
      for (const f of forms) this.#taken.add(f);
      return candidate;
    }
  }
}

function key(name: string): string {
  return name.normalize('NFC').toLowerCase();
}
