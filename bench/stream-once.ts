/**
 * One download of the streaming comparison's file (see stream-serve.ts), from a fresh start: the
 * output folder removed and the row set back to pending first, then one `downloadAll`. Prints the
 * child's JSON (wall time, peak RSS, CPU). Run: `node dist/bench/stream-once.js <dir>/job.json`.
 */
import { readFileSync, rmSync } from 'node:fs';
import { openInventory } from '../src/inventory/open.js';
import { type ChildJob, child } from './download-child.js';

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as ChildJob;
rmSync(job.outputDir, { recursive: true, force: true });
const db = openInventory(job.dbFile);
db.prepare("UPDATE media SET status = 'pending', path = NULL, sha256 = NULL, bytes_on_disk = NULL").run();
db.close();
await child(job);
