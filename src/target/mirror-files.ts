import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { VIEW_DIR } from '../archive/view/plan.js';
import type { Target } from '../config/types.js';
import type { Db } from '../inventory/open.js';
import { objectDone } from '../inventory/target-staging.js';
import { VERSIONS_FOLDER } from '../naming/media-path.js';
import { sha256OfFile } from './upload-object.js';
import type { UploadItem } from './upload-one.js';

/**
 * The parts of the local layout that have no row of their own in the inventory: the view
 * (Markdown/CSV, rewritten each run: each file is hashed and uploaded when its SHA-256 differs from
 * the object's) and the earlier versions of drive files under `versions/` (never rewritten once
 * kept: a key the bucket holds already is skipped without hashing).
 */
export async function mirrorItems(db: Db, target: Target, outputDir: string): Promise<UploadItem[]> {
  return [...(await viewItems(db, target, outputDir)), ...(await versionItems(db, target, outputDir))];
}

async function viewItems(db: Db, target: Target, outputDir: string): Promise<UploadItem[]> {
  const items: UploadItem[] = [];
  for (const rel of await walk(outputDir, VIEW_DIR)) {
    const file = path.join(outputDir, ...rel.split('/'));
    const sha256 = await sha256OfFile(file);
    if (objectDone(db, target.bucket, target.prefix + rel, sha256)) continue;
    items.push({ mediaId: null, path: rel, sha256, size: (await stat(file)).size, uploadId: null });
  }
  return items;
}

async function versionItems(db: Db, target: Target, outputDir: string): Promise<UploadItem[]> {
  // Only drive files get new versions under one token (src/download/LAYOUT.md).
  const folders = db
    .prepare(`SELECT DISTINCT path FROM media WHERE source = 'drive_file' AND path IS NOT NULL ORDER BY path`)
    .all() as { path: string }[];
  const items: UploadItem[] = [];
  for (const { path: p } of folders) {
    const versions = `${path.posix.dirname(p)}/${VERSIONS_FOLDER}`;
    for (const rel of await walk(outputDir, versions)) {
      const file = path.join(outputDir, ...rel.split('/'));
      if (objectDone(db, target.bucket, target.prefix + rel)) {
        // keepLocal false: a run killed between the HEAD and the delete left the local copy.
        if (!target.keepLocal) await rm(file, { force: true });
        continue;
      }
      items.push({
        mediaId: null,
        path: rel,
        sha256: await sha256OfFile(file),
        size: (await stat(file)).size,
        uploadId: null,
        deleteAfter: !target.keepLocal,
      });
    }
  }
  return items;
}

/** Regular files under `outputDir/rel`, `/`-separated paths relative to outputDir; none when it is absent. */
async function walk(outputDir: string, rel: string): Promise<string[]> {
  const entries = await readdir(path.join(outputDir, ...rel.split('/')), { withFileTypes: true }).catch(
    () => [],
  );
  const out: string[] = [];
  for (const e of entries) {
    const child = `${rel}/${e.name}`;
    if (e.isDirectory()) out.push(...(await walk(outputDir, child)));
    else if (e.isFile()) out.push(child);
  }
  return out.sort();
}
