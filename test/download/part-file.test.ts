import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { partPaths, publishPart, resumePoint, sealCompletePart } from '../../src/download/part-file.js';
import { BodyTooLongError, PartWriter } from '../../src/download/part-writer.js';
import { tempInventory } from './helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function* chunks(...parts: Buffer[]): AsyncGenerator<Buffer> {
  yield* parts;
}

/** How many of this process's file descriptors are open on `file` (Linux: /proc/self/fd). */
function fdsOn(file: string): number {
  const target = realpathSync(file);
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === target) n++;
    } catch {
      // Closed meanwhile (the descriptor readdir itself used).
    }
  }
  return n;
}

function tmp(): string {
  const t = tempInventory();
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('.part files', () => {
  it('resumes where a parked write stopped and hashes the whole file', async () => {
    const dir = tmp();
    const paths = partPaths(dir, 'boxcnA');
    const data = Buffer.from('0123456789abcdefghij');
    const first = await PartWriter.open(paths, 0, data.length);
    await first.pump(chunks(data.subarray(0, 8)));
    expect(await first.park()).toBe(8);
    expect(await resumePoint(paths, data.length)).toEqual({ have: 8, total: 20 });
    const second = await PartWriter.open(paths, 8, data.length);
    await second.pump(chunks(data.subarray(8)));
    const done = await second.finish();
    expect(done).toEqual({ bytes: 20, sha256: createHash('sha256').update(data).digest('hex') });
    await publishPart(paths, join(dir, 'media', 'x.bin'));
    expect(readFileSync(join(dir, 'media', 'x.bin'))).toEqual(data);
    expect(await resumePoint(paths)).toEqual({ have: 0 });
  });

  it('fsyncs the bytes it resumes from before the sidecar says they are synced', async () => {
    const dir = tmp();
    const paths = partPaths(dir, 'boxcnS');
    const w = await PartWriter.open(paths, 0, 10);
    await w.pump(chunks(Buffer.from('0123')));
    await w.park();
    // As after a crash on the same boot: more bytes than the sidecar's last checkpoint.
    writeFileSync(paths.part, '012345');
    writeFileSync(paths.meta, JSON.stringify({ ...JSON.parse(readFileSync(paths.meta, 'utf8')), synced: 2 }));
    const point = await resumePoint(paths, 10);
    expect(point.have).toBe(6);
    const probe = await open(paths.part, 'r');
    const proto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
    await probe.close();
    const events: string[] = [];
    const sync = vi.spyOn(proto, 'sync').mockImplementation(async function (this: unknown) {
      events.push(`sync; sidecar says ${JSON.parse(readFileSync(paths.meta, 'utf8')).synced}`);
    });
    try {
      const resumed = await PartWriter.open(paths, point.have, 10);
      await resumed.abandon();
    } finally {
      sync.mockRestore();
    }
    expect(events[0]).toBe('sync; sidecar says 2');
    expect(JSON.parse(readFileSync(paths.meta, 'utf8'))).toMatchObject({ synced: 6 });
  });

  it('starts over when the file it was started for had another size', async () => {
    const dir = tmp();
    const paths = partPaths(dir, 'boxcnB');
    const w = await PartWriter.open(paths, 0, 10);
    await w.pump(chunks(Buffer.alloc(4)));
    await w.park();
    expect(await resumePoint(paths, 11)).toEqual({ have: 0 });
  });

  it('after a reboot trusts only the bytes that were fsynced', async () => {
    const dir = tmp();
    const paths = partPaths(dir, 'boxcnC');
    const w = await PartWriter.open(paths, 0, 100);
    await w.pump(chunks(Buffer.alloc(30)));
    await w.park();
    // Simulate a power cut: more bytes on disk than were synced, and another boot.
    writeFileSync(paths.part, Buffer.alloc(60));
    writeFileSync(paths.meta, JSON.stringify({ v: 1, total: 100, synced: 30, boot: 'another-boot' }));
    expect(await resumePoint(paths, 100)).toEqual({ have: 30, total: 100 });
    expect(readFileSync(paths.part).length).toBe(30);
  });

  it('records every byte of a finished part as synced, so a reboot before the rename keeps them all', async () => {
    const dir = tmp();
    const paths = partPaths(dir, 'boxcnF');
    const data = Buffer.from('every byte of the file');
    const w = await PartWriter.open(paths, 0, data.length);
    await w.pump(chunks(data));
    await w.finish();
    const meta = JSON.parse(readFileSync(paths.meta, 'utf8')) as { synced: number };
    expect(meta).toMatchObject({ total: data.length, synced: data.length });
    writeFileSync(paths.meta, JSON.stringify({ ...meta, boot: 'another-boot' }));
    expect(await resumePoint(paths, data.length)).toEqual({ have: data.length, total: data.length });
    expect(readFileSync(paths.part)).toEqual(data);
  });

  it('seals a part that holds every byte, hashing it from disk, and leaves a short one alone', async () => {
    const dir = tmp();
    const paths = partPaths(dir, 'boxcnE');
    const data = Buffer.from('complete file bytes');
    const w = await PartWriter.open(paths, 0, data.length, { fileName: 'a.txt', mimeType: 'text/plain' });
    await w.pump(chunks(data));
    await w.abandon();
    expect(await resumePoint(paths, data.length)).toEqual({
      have: data.length,
      total: data.length,
      fileName: 'a.txt',
      mimeType: 'text/plain',
    });
    expect(await sealCompletePart(paths, data.length + 1)).toBeUndefined();
    expect(await sealCompletePart(paths, data.length)).toEqual({
      bytes: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
    });
    expect(readFileSync(paths.part)).toEqual(data);
  });

  it('refuses a body longer than announced without writing the excess', async () => {
    const dir = tmp();
    const paths = partPaths(dir, 'boxcnD');
    const w = await PartWriter.open(paths, 0, 5);
    await expect(w.pump(chunks(Buffer.alloc(3), Buffer.alloc(3)))).rejects.toBeInstanceOf(BodyTooLongError);
    await w.park();
    expect(readFileSync(paths.part).length).toBe(3);
  });

  it('keeps the bytes a body had buffered when it failed while paused', async () => {
    const dir = tmp();
    const paths = partPaths(dir, 'boxcnG');
    const data = Buffer.from('0123456789abcdefghij');
    // What a reset does to a paused undici body: bytes in its buffer, then destroyed with the error.
    const body = new Readable({ read: () => undefined });
    body.on('error', () => undefined);
    body.push(data.subarray(4, 9));
    body.push(data.subarray(9, 15));
    const reset = new Error('other side closed');
    body.destroy(reset);
    const w = await PartWriter.open(paths, 0, data.length);
    await expect(w.pumpStream([data.subarray(0, 4)], body)).rejects.toBe(reset);
    expect(await w.park()).toBe(15);
    expect(readFileSync(paths.part)).toEqual(data.subarray(0, 15));
  });

  it('writes a long body of odd-sized chunks byte for byte through its reused batch buffers', async () => {
    const dir = tmp();
    const paths = partPaths(dir, 'boxcnR');
    // Several batches (1 MiB each), chunks that straddle their edges, writes still in flight while
    // the next batches fill: a buffer reused too early would show as wrong bytes on disk.
    const data = Buffer.alloc((9 << 20) + 12_345);
    for (let i = 0; i < data.length; i++) data[i] = (i * 131 + (i >> 13)) & 0xff;
    let offset = 0;
    const body = new Readable({
      highWaterMark: 256 << 10,
      read() {
        const end = Math.min(offset + 65_537 + (offset % 3), data.length);
        // A copy, as a socket's read would be: the writer must not depend on the caller's buffer.
        this.push(end > offset ? Buffer.from(data.subarray(offset, end)) : null);
        offset = end;
      },
    });
    const w = await PartWriter.open(paths, 0, data.length);
    await w.pumpStream([], body);
    const done = await w.finish();
    expect(done).toEqual({ bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') });
    expect(readFileSync(paths.part).equals(data)).toBe(true);
  });

  it('keeps the bytes a body buffered while paused for slow writes when it then fails', async () => {
    const dir = tmp();
    const paths = partPaths(dir, 'boxcnK');
    const data = Buffer.alloc(6 << 20);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7) & 0xff;
    // Slow disk writes: every write slot fills, so the writer pauses the body (backpressure).
    const probe = await open(dir, 'r');
    const proto = Object.getPrototypeOf(probe) as { writev: (...a: unknown[]) => Promise<unknown> };
    await probe.close();
    const writev = proto.writev;
    const slow = vi.spyOn(proto, 'writev').mockImplementation(async function (this: unknown, ...a) {
      await new Promise((r) => setTimeout(r, 30));
      return writev.apply(this, a);
    });
    let offset = 0;
    let cut = false;
    const reset = new Error('other side closed');
    const body = new Readable({
      highWaterMark: 256 << 10,
      read() {
        if (cut) return;
        const end = Math.min(offset + 65_001, data.length);
        this.push(end > offset ? data.subarray(offset, end) : null);
        offset = end;
      },
    });
    body.on('error', () => undefined);
    const pause = body.pause.bind(body);
    body.pause = () => {
      pause();
      if (offset > 3_000_000 && !cut) {
        // While paused, the socket's last bytes land in the body's buffer; then the reset.
        cut = true;
        for (let i = 0; i < 3; i++) {
          body.push(data.subarray(offset, offset + 50_003));
          offset += 50_003;
        }
        setImmediate(() => body.destroy(reset));
      }
      return body;
    };
    const w = await PartWriter.open(paths, 0, data.length);
    try {
      await expect(w.pumpStream([], body)).rejects.toBe(reset);
    } finally {
      slow.mockRestore();
    }
    expect(cut).toBe(true);
    expect(await w.park()).toBe(offset);
    expect(readFileSync(paths.part).equals(data.subarray(0, offset))).toBe(true);
  });

  it('refuses buffered bytes of a failed body past the announced size', async () => {
    const dir = tmp();
    const paths = partPaths(dir, 'boxcnH');
    const body = new Readable({ read: () => undefined });
    body.on('error', () => undefined);
    body.push(Buffer.alloc(4));
    body.push(Buffer.alloc(4));
    body.destroy(new Error('other side closed'));
    const w = await PartWriter.open(paths, 0, 6);
    await expect(w.pumpStream([], body)).rejects.toBeInstanceOf(BodyTooLongError);
    expect(await w.park()).toBeLessThanOrEqual(6);
    expect(readFileSync(paths.part).length).toBeLessThanOrEqual(6);
  });

  it.skipIf(process.platform !== 'linux')(
    'closes the file when finish() cannot write the sidecar',
    async () => {
      const dir = tmp();
      const paths = partPaths(dir, 'boxcnI');
      const w = await PartWriter.open(paths, 0, 4);
      await w.pump(chunks(Buffer.from('abcd')));
      expect(fdsOn(paths.part)).toBe(1);
      // The sidecar is written to <meta>.tmp, then renamed: a directory there makes that write fail.
      mkdirSync(`${paths.meta}.tmp`);
      await expect(w.finish()).rejects.toMatchObject({ code: 'EISDIR' });
      expect(fdsOn(paths.part)).toBe(0);
      expect(readFileSync(paths.part)).toEqual(Buffer.from('abcd'));
    },
  );

  it.skipIf(process.platform !== 'linux')('closes the file when finish() cannot fsync it', async () => {
    const dir = tmp();
    const paths = partPaths(dir, 'boxcnJ');
    const w = await PartWriter.open(paths, 0, 4);
    await w.pump(chunks(Buffer.from('abcd')));
    // FileHandle is not exported: reach its prototype through a handle.
    const probe = await open(paths.part, 'r');
    const proto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
    await probe.close();
    const eio = Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO', syscall: 'fsync' });
    const sync = vi.spyOn(proto, 'sync').mockRejectedValueOnce(eio);
    try {
      await expect(w.finish()).rejects.toBe(eio);
    } finally {
      sync.mockRestore();
    }
    expect(fdsOn(paths.part)).toBe(0);
  });

  it('keeps odd tokens from naming a path outside .partial', () => {
    const paths = partPaths('/out', '../../etc/x');
    expect(paths.part.startsWith('/out/.partial/')).toBe(true);
    expect(paths.part).not.toContain('..');
  });
});
