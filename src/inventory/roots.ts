import { rootSpec, rootToken } from '../roots/spec.js';
import type { Root } from '../roots/types.js';
import type { Db } from './open.js';

/** The id of a configured root, inserting it the first time it is seen. */
export function upsertRoot(db: Db, root: Root): number {
  const spec = rootSpec(root);
  db.prepare('INSERT INTO roots (spec, kind, token) VALUES (?, ?, ?) ON CONFLICT (spec) DO NOTHING').run(
    spec,
    root.type,
    rootToken(root),
  );
  return (db.prepare('SELECT id FROM roots WHERE spec = ?').get(spec) as { id: number }).id;
}

/** The document a root stands for: where the search for gone documents starts (migration 0006). */
export function setRootDocument(db: Db, rootId: number, documentId: number): void {
  db.prepare('UPDATE roots SET document_id = ? WHERE id = ?').run(documentId, rootId);
}
