/**
 * Upload benchmark (issue 16), against s3rver on loopback in a process of its own:
 * 1. rate: the backup's upload phase (`uploadAll`: resumable multipart, 8 MiB parts, 4 in flight,
 *    every byte hashed) / the SDK's own lib-storage `Upload` (same client, same part size and queue)
 *    of the same 2 GiB file, interleaved rounds, each in a fresh child process;
 * 2. peak RSS of the uploading process (target < 150 MB);
 * 3. local staging bytes at peak: the local folder's size, sampled while the upload runs.
 * Run: `npm run build && node dist/bench/upload.js` (writes the "## Object storage" section of BENCHMARKS.md).
 */
import { execFile, spawn } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statfsSync,
  statSync,
  writeSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { openInventory } from '../src/inventory/open.js';
import { writeBenchmarksSection } from './benchmarks-file.js';
import type { UploadJob, UploadResult } from './upload-child.js';

const CHILD = fileURLToPath(new URL('./upload-child.js', import.meta.url));
const S3RVER = fileURLToPath(new URL('./s3rver-child.js', import.meta.url));
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

export interface UploadBenchOptions {
  /** @default 2 GiB */
  fileBytes?: number;
  /** Interleaved rounds (each: one backup upload, one SDK upload, order alternating). @default 5 */
  rounds?: number;
  write?: boolean;
}

interface Round {
  backup: UploadResult & { stagingPeakBytes: number };
  sdk: UploadResult;
}

export async function runUploadBench(opts: UploadBenchOptions = {}): Promise<Figures> {
  const size = opts.fileBytes ?? 2 * GiB;
  const work = mkdtempSync(path.join(tmpdir(), 'fb-bench-upload-'));
  const freeBefore = statfsSync(work).bavail * statfsSync(work).bsize;
  // The file, the object and s3rver's parts of it: about three times its size at once.
  if (freeBefore < 3.5 * size) throw new Error(`needs ${(3.5 * size) / GiB} GiB free in ${work}`);
  const loadBefore = loadavg();
  const local = path.join(work, 'local');
  const rel = 'media/Bi/boxBenchBig/big.bin';
  const file = path.join(local, ...rel.split('/'));
  mkdirSync(path.dirname(file), { recursive: true });
  const sha256 = writeRandomFile(file, size);
  const dbFile = path.join(local, 'inventory.sqlite');
  const db = openInventory(dbFile);
  db.prepare(
    `INSERT INTO media (file_token, name, status, path, sha256, bytes_on_disk) VALUES ('boxBenchBig', 'big.bin', 'done', ?, ?, ?)`,
  ).run(rel, sha256, size);
  const server = await startS3rver(path.join(work, 's3'), 'bench');
  // The SDK's Node 22 notice is noise here too (the CLI hides it the same way).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const s3 = new S3Client({
    region: 'us-east-1',
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const job: UploadJob = {
    mode: 'backup',
    endpoint: server.endpoint,
    bucket: 'bench',
    prefix: 'b/',
    dbFile,
    outputDir: local,
    file,
    key: 'sdk/big.bin',
    partSize: 8 * MiB,
    queueSize: 4,
  };
  const clean = async (): Promise<void> => {
    db.exec('DELETE FROM target_objects');
    for (const Key of [`b/${rel}`, 'b/inventory.sqlite', 'sdk/big.bin'])
      await s3.send(new DeleteObjectCommand({ Bucket: 'bench', Key }));
  };
  const rounds: Round[] = [];
  try {
    for (let i = 0; i < (opts.rounds ?? 5); i++) {
      const round: Partial<Round> = {};
      for (const mode of i % 2 === 0 ? (['backup', 'sdk'] as const) : (['sdk', 'backup'] as const)) {
        await clean();
        if (mode === 'backup') round.backup = await withStaging(local, () => runChild({ ...job, mode }));
        else round.sdk = await runChild({ ...job, mode });
      }
      rounds.push(round as Round);
      process.stdout.write(`upload round ${i + 1}: ${JSON.stringify(round)}\n`);
    }
    await clean();
  } finally {
    db.close();
    server.stop();
    s3.destroy();
    rmSync(work, { recursive: true, force: true });
  }
  const rate = (r: UploadResult): number => size / (r.wallMs / 1000);
  const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const figures: Figures = {
    fileBytes: size,
    rounds,
    backupRate: med(rounds.map((r) => rate(r.backup))),
    sdkRate: med(rounds.map((r) => rate(r.sdk))),
    ratio: med(rounds.map((r) => rate(r.backup) / rate(r.sdk))),
    backupPeakRss: Math.max(...rounds.map((r) => r.backup.maxRssBytes)),
    sdkPeakRss: Math.max(...rounds.map((r) => r.sdk.maxRssBytes)),
    stagingPeakBytes: Math.max(...rounds.map((r) => r.backup.stagingPeakBytes)),
    machine: `${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}; load average ${loadBefore[0]!.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after (other work shares the machine)`,
  };
  if (opts.write) writeBenchmarksSection(render(figures));
  return figures;
}

/** Random bytes (8 MiB at a time, so memory stays flat), hashed as written. */
function writeRandomFile(file: string, size: number): string {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(8 * MiB);
  const fd = openSync(file, 'w');
  try {
    for (let done = 0; done < size; ) {
      const n = Math.min(buf.length, size - done);
      randomFillSync(buf, 0, n);
      hash.update(buf.subarray(0, n));
      writeSync(fd, buf, 0, n);
      done += n;
    }
    // On disk before the first round: else its writeback competes with the first upload's disk writes.
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

async function startS3rver(directory: string, bucket: string): Promise<{ endpoint: string; stop(): void }> {
  mkdirSync(directory, { recursive: true });
  const child = spawn(process.execPath, [S3RVER, directory, bucket], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    child.on('exit', (code) => reject(new Error(`s3rver exited (${code})`)));
  });
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

async function runChild(job: UploadJob): Promise<UploadResult> {
  const { stdout } = await promisify(execFile)(process.execPath, [CHILD, JSON.stringify(job)], {
    maxBuffer: 1 << 20,
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  });
  return JSON.parse(stdout) as UploadResult;
}

/** Runs `fn` while sampling the local folder's size (4 times a second); returns its peak too. */
async function withStaging<T>(dir: string, fn: () => Promise<T>): Promise<T & { stagingPeakBytes: number }> {
  let peak = folderBytes(dir);
  const timer = setInterval(() => {
    peak = Math.max(peak, folderBytes(dir));
  }, 250);
  try {
    const r = await fn();
    return { ...r, stagingPeakBytes: Math.max(peak, folderBytes(dir)) };
  } finally {
    clearInterval(timer);
  }
}

function folderBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    try {
      n += statSync(path.join(e.parentPath, e.name)).size;
    } catch {
      // Gone between the listing and the stat (the inventory copy is removed after upload).
    }
  }
  return n;
}

export interface Figures {
  fileBytes: number;
  rounds: Round[];
  backupRate: number;
  sdkRate: number;
  ratio: number;
  backupPeakRss: number;
  sdkPeakRss: number;
  stagingPeakBytes: number;
  machine: string;
}

function render(f: Figures): string {
  const mbs = (b: number): string => `${(b / MiB).toFixed(0)} MiB/s`;
  const mb = (b: number): string => `${(b / 1e6).toFixed(0)} MB`;
  const cpu = (r: UploadResult): string => ((r.cpuMicros.user + r.cpuMicros.system) / 1e6).toFixed(1);
  const rows = f.rounds.map(
    (r, i) =>
      `| ${i + 1} | ${mbs(f.fileBytes / (r.backup.wallMs / 1000))} (${(r.backup.wallMs / 1000).toFixed(1)} s) | ${mbs(f.fileBytes / (r.sdk.wallMs / 1000))} (${(r.sdk.wallMs / 1000).toFixed(1)} s) | ${(r.sdk.wallMs / r.backup.wallMs).toFixed(2)} | ${mb(r.backup.maxRssBytes)} | ${mb(r.sdk.maxRssBytes)} | ${cpu(r.backup)} / ${cpu(r.sdk)} |`,
  );
  return `## Object storage

One ${(f.fileBytes / GiB).toFixed(0)} GiB file of random bytes uploaded to s3rver 3.7.1 on loopback (in a
process of its own), by the backup's upload phase (\`uploadAll\`: resumable multipart, 8 MiB parts, 4 in
flight, each part recorded in the inventory, every byte hashed SHA-256 and MD5, then a HEAD check and the
inventory copy) and by the SDK's own \`@aws-sdk/lib-storage\` \`Upload\` (same client and settings, same
part size and queue, no hashing), each in a fresh child process, in interleaved rounds (the order
alternates). Reproduce: \`npm run build && node dist/bench/upload.js\` (or \`npm run bench\`).

| Round | Backup | SDK \`Upload\` | Backup / SDK | Backup peak RSS | SDK peak RSS | CPU s, backup / SDK |
| ----- | ------ | ------------ | ------------ | --------------- | ------------ | ------------------- |
${rows.join('\n')}

- **Upload rate, backup / SDK: ${f.ratio.toFixed(2)}** (median of the rounds' ratios; target >= 0.9): ${mbs(f.backupRate)} against ${mbs(f.sdkRate)}
  (median rates; their ratio is ${(f.backupRate / f.sdkRate).toFixed(2)}). Round 1 runs the backup first, on a freshly
  started s3rver: in each of the four runs made while building this it was the backup's slowest round
  (ratio 0.53 to 0.94); the cause is not found. The backup spends less CPU than the SDK's \`Upload\`.
- **Peak RSS of the uploading process: ${mb(f.backupPeakRss)}** (target < 150 MB; the SDK's \`Upload\`: ${mb(f.sdkPeakRss)}).
- **Local staging bytes at peak: ${mb(f.stagingPeakBytes)}**: the downloaded file itself plus the inventory and its
  copy; the upload adds no local copy (parts are read into four 8 MiB buffers). With \`keepLocal\` on
  (the default) the files stay after upload.
- Machine: ${f.machine}. s3rver, which writes every part and then the whole object to disk, shares the
  two cores and bounds both rates.
`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runUploadBench({ write: true });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
