import type { LatestSnapshot } from '../../inventory/snapshots.js';
import { documentFolderName } from '../../naming/media-path.js';
import { sanitizeFilename } from '../../naming/sanitize-filename.js';
import { splitEmbedded } from '../../sources/docx/extract.js';

/** One file of the view and the snapshot it comes from. Paths are relative to outputDir, `/`-separated. */
export interface ViewFile {
  path: string;
  snapshot: LatestSnapshot;
  /** For a sheet CSV: which sheet of the snapshot. */
  sheetId?: string;
}

export interface ViewPlan {
  files: ViewFile[];
  /** `docx:<token>`, `sheet:<spreadsheet>_<sheetId>`, `bitable:<app>_<table>` -> view path. */
  byKey: Map<string, string>;
  /** The first sheet's CSV of each spreadsheet, for embeds that name no sheet. */
  firstSheet: Map<string, string>;
}

export const VIEW_DIR = 'view';

interface SheetInfo {
  sheet_id: string;
  title?: string;
}

/**
 * Where every rendered file goes (see ../LAYOUT.md), decided before anything is rendered so links
 * between documents (a docx embedding a sheet) can point at files that do not exist yet:
 *   view/docx/<title> (<token>).md
 *   view/sheet/<title> (<token>)/<sheet title>.csv
 *   view/bitable/<base title> (<app token>)/<table name>.csv
 * Names go through the downloader's sanitiser; a name taken twice in one folder (also ignoring case,
 * for Windows and macOS) gets ` (<id>)`.
 */
export function planView(
  snapshots: readonly LatestSnapshot[],
  sheetsOf: (s: LatestSnapshot) => SheetInfo[],
  baseTitle: (appToken: string) => string | null,
): ViewPlan {
  const files: ViewFile[] = [];
  const byKey = new Map<string, string>();
  const firstSheet = new Map<string, string>();
  const taken = new Set<string>();
  const claim = (folder: string, name: string, id: string, ext: string): string => {
    let path = `${folder}/${name}${ext}`;
    if (taken.has(path.toLowerCase())) path = `${folder}/${sanitizeFilename(`${name} (${id})`)}${ext}`;
    taken.add(path.toLowerCase());
    return path;
  };
  for (const s of snapshots) {
    if (s.type === 'docx') {
      const path = claim(`${VIEW_DIR}/docx`, documentFolderName(s.title, s.token), s.token, '.md');
      files.push({ path, snapshot: s });
      byKey.set(`docx:${s.token}`, path);
    } else if (s.type === 'sheet') {
      const folder = `${VIEW_DIR}/sheet/${documentFolderName(s.title, s.token)}`;
      for (const sheet of sheetsOf(s)) {
        const name = sanitizeFilename(sheet.title ?? '', { fallback: sheet.sheet_id, maxBytes: 180 });
        const path = claim(folder, name, sheet.sheet_id, '.csv');
        files.push({ path, snapshot: s, sheetId: sheet.sheet_id });
        byKey.set(`sheet:${s.token}_${sheet.sheet_id}`, path);
        if (!firstSheet.has(s.token)) firstSheet.set(s.token, path);
      }
    } else if (s.type === 'bitable_table') {
      const { token: app, id: table } = splitEmbedded(s.token) ?? { token: s.token, id: '' };
      const folder = `${VIEW_DIR}/bitable/${documentFolderName(baseTitle(app), app)}`;
      const name = sanitizeFilename(s.title ?? '', { fallback: table || 'table', maxBytes: 180 });
      const path = claim(folder, name, table, '.csv');
      files.push({ path, snapshot: s });
      byKey.set(`bitable:${s.token}`, path);
    }
  }
  return { files, byKey, firstSheet };
}
