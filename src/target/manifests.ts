import { createHash } from 'node:crypto';
import type { Db } from '../inventory/open.js';

/**
 * The bucket's stand-in for the local `by-document/` hard links (README "Object storage"): one small
 * JSON object per document, `by-document/<type>/<token>.json`, naming the document and the object
 * of each media file it holds. Keyed by token, not title, so a renamed document rewrites its
 * manifest instead of leaving another beside it. Deterministic (sorted, no times): an unchanged
 * document hashes the same and is not uploaded again.
 */
export interface DocumentManifest {
  v: 1;
  token: string;
  type: string;
  title: string | null;
  /** The object of its latest snapshot, when it has one. */
  snapshot: string | null;
  media: ManifestMedia[];
}

export interface ManifestMedia {
  token: string;
  name: string | null;
  /** The object holding its current copy; null while it is not (yet) in the bucket. */
  key: string | null;
  size: number | null;
  sha256: string | null;
}

export interface BuiltManifest {
  /** Relative to the prefix. */
  path: string;
  body: Buffer;
  sha256: string;
}

interface RefRow {
  docId: number;
  token: string;
  name: string | null;
  path: string | null;
  size: number | null;
  sha256: string | null;
  inBucket: number;
}

/** Every document still in Feishu (gone ones keep the manifest last uploaded), built from the inventory. */
export function* buildManifests(db: Db, bucket: string, prefix: string): Generator<BuiltManifest> {
  const docs = db
    .prepare(
      `SELECT d.id, d.type, d.token, d.title,
              (SELECT s.path FROM snapshots s WHERE s.document_id = d.id ORDER BY s.id DESC LIMIT 1) AS snapshot
         FROM documents d WHERE d.status <> 'gone' ORDER BY d.id`,
    )
    .all() as { id: number; type: string; token: string; title: string | null; snapshot: string | null }[];
  const refs = db.prepare<[string, string, number], RefRow>(
    `SELECT DISTINCT m.file_token AS token, m.name, m.path, COALESCE(m.bytes_on_disk, m.size) AS size,
            m.sha256, (m.status = 'done' AND t.status = 'done' AND t.sha256 = m.sha256) AS inBucket
       FROM media_refs r JOIN media m ON m.id = r.media_id
       LEFT JOIN target_objects t ON t.bucket = ? AND t.object_key = ? || m.path
      WHERE r.document_id = ? AND r.gone_at IS NULL
      ORDER BY m.file_token`,
  );
  for (const d of docs) {
    const manifest: DocumentManifest = {
      v: 1,
      token: d.token,
      type: d.type,
      title: d.title,
      snapshot: d.snapshot ? prefix + d.snapshot : null,
      media: refs.all(bucket, prefix, d.id).map((r) => ({
        token: r.token,
        name: r.path ? r.path.split('/').at(-1)! : r.name,
        key: r.inBucket && r.path ? prefix + r.path : null,
        size: r.size,
        sha256: r.inBucket ? r.sha256 : null,
      })),
    };
    const body = Buffer.from(`${JSON.stringify(manifest, null, 1)}\n`);
    yield {
      path: manifestPath(d.type, d.token),
      body,
      sha256: createHash('sha256').update(body).digest('hex'),
    };
  }
}

/** `by-document/<type>/<token>.json`; type and token are Feishu's (letters, digits, `_`), made safe anyway. */
export function manifestPath(type: string, token: string): string {
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9_-]/g, '_') || '_';
  return `by-document/${safe(type)}/${safe(token)}.json`;
}
