import { createHash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import {
  forgetUpload,
  type RecordedPart,
  recordPart,
  recordUploadStarted,
} from '../inventory/target-uploads.js';
import { abortQuietly } from './abort-upload.js';
import { isNoSuchUpload } from './list-parts.js';
import { partSizeFor, poolFor } from './part-buffers.js';
import { resumable } from './resume-upload.js';
import {
  ChecksumMismatchError,
  hashMismatch,
  objectParams,
  type UploadFileOptions,
} from './upload-params.js';

export interface MultipartResult {
  partsSent: number;
  /** Parts an earlier run had sent, recorded in the inventory, and not sent again. */
  partsReused: number;
}

export interface Upload {
  uploadId: string;
  parts: Map<number, RecordedPart>;
}

/**
 * A multipart upload that survives the process: the upload id and each part the server accepted
 * (number, size, MD5, ETag) are written to the inventory as they happen, and the next run continues
 * the recorded upload, sending only the parts still missing. Every part is read, hashed (SHA-256 of
 * the whole file, in order; MD5 of the part) and, when not already recorded with that MD5, sent with
 * Content-MD5. The upload is completed only when the whole file hashed to the expected SHA-256;
 * otherwise it is aborted and nothing appears in the bucket. An upload id the server no longer knows
 * (NoSuchUpload) is started over once, cleanly.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
 */
export async function uploadMultipart(o: UploadFileOptions): Promise<MultipartResult> {
  const partSize = partSizeFor(o.size);
  let upload = await resumable(o, partSize);
  for (let fresh = false; ; fresh = true) {
    upload ??= await create(o, partSize);
    try {
      const sent = await sendParts(o, upload, partSize);
      if (sent.sha256 !== o.sha256) {
        await abortQuietly(o, upload.uploadId);
        forgetUpload(o.db, o.target.bucket, o.key);
        throw hashMismatch(sent.sha256, o.sha256);
      }
      await o.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: o.target.bucket,
          Key: o.key,
          UploadId: upload.uploadId,
          MultipartUpload: {
            Parts: [...upload.parts.values()]
              .sort((a, b) => a.partNumber - b.partNumber)
              .map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })),
          },
        }),
        o.signal ? { abortSignal: o.signal } : {},
      );
      forgetUpload(o.db, o.target.bucket, o.key);
      return { partsSent: sent.partsSent, partsReused: sent.partsReused };
    } catch (e) {
      // InvalidPart: a recorded part the server does not hold (as recorded). Either way, once.
      if (fresh || !(isNoSuchUpload(e) || (e as { name?: string }).name === 'InvalidPart')) throw e;
      o.log?.({
        level: 'warn',
        event: 'upload.restarted',
        message: `The server no longer knows the multipart upload recorded for ${o.key} (${(e as Error).name}); it is started over.`,
        key: o.key,
      });
      forgetUpload(o.db, o.target.bucket, o.key);
      upload = undefined;
    }
  }
}

async function create(o: UploadFileOptions, partSize: number): Promise<Upload> {
  const created = await o.client.send(
    new CreateMultipartUploadCommand({
      Bucket: o.target.bucket,
      Key: o.key,
      ...objectParams(o.target, o.sha256),
    }),
    o.signal ? { abortSignal: o.signal } : {},
  );
  if (!created.UploadId) throw new Error(`CreateMultipartUpload for ${o.key} returned no upload id`);
  recordUploadStarted(o.db, o.target.bucket, o.key, {
    uploadId: created.UploadId,
    sha256: o.sha256,
    partSize,
  });
  return { uploadId: created.UploadId, parts: new Map() };
}

/**
 * Reads the file part by part in order (hashing every byte), sends the parts not already recorded
 * with the same MD5, at most PARTS_IN_FLIGHT at once, and records each as the server accepts it.
 */
async function sendParts(
  o: UploadFileOptions,
  upload: Upload,
  partSize: number,
): Promise<{ sha256: string; partsSent: number; partsReused: number }> {
  const fh = await open(o.file, 'r');
  const whole = createHash('sha256');
  const pool = poolFor(partSize);
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let partsSent = 0;
  let partsReused = 0;
  try {
    const count = Math.max(1, Math.ceil(o.size / partSize));
    for (let n = 1; n <= count && failure === undefined; n++) {
      o.signal?.throwIfAborted();
      const buf = await pool.take();
      const len = Math.min(partSize, o.size - (n - 1) * partSize);
      let bytes: Buffer;
      try {
        bytes = await readFully(fh, buf, len, (n - 1) * partSize);
      } catch (e) {
        pool.give(buf);
        throw e;
      }
      whole.update(bytes);
      const md5 = createHash('md5').update(bytes).digest();
      const recorded = upload.parts.get(n);
      if (recorded && recorded.size === len && recorded.md5 === md5.toString('hex')) {
        partsReused++;
        pool.give(buf);
        continue;
      }
      const p = sendPart(o, upload, n, bytes, md5)
        .then(() => {
          partsSent++;
        })
        .catch((e: unknown) => {
          failure ??= e;
        })
        .finally(() => {
          pool.give(buf);
          inFlight.delete(p);
        });
      inFlight.add(p);
    }
    await Promise.all(inFlight);
    if (failure !== undefined) throw failure;
    return { sha256: whole.digest('hex'), partsSent, partsReused };
  } finally {
    await Promise.all(inFlight);
    await fh.close();
  }
}

async function sendPart(
  o: UploadFileOptions,
  upload: Upload,
  n: number,
  bytes: Buffer,
  md5: Buffer,
): Promise<void> {
  const r = await o.client.send(
    new UploadPartCommand({
      Bucket: o.target.bucket,
      Key: o.key,
      UploadId: upload.uploadId,
      PartNumber: n,
      Body: bytes,
      ContentLength: bytes.length,
      // The server checks the part arrived intact (and S3 requires it with object lock).
      ContentMD5: md5.toString('base64'),
    }),
    o.signal ? { abortSignal: o.signal } : {},
  );
  if (!r.ETag) throw new Error(`UploadPart ${n} of ${o.key} returned no ETag`);
  const part: RecordedPart = { partNumber: n, size: bytes.length, md5: md5.toString('hex'), etag: r.ETag };
  recordPart(o.db, o.target.bucket, upload.uploadId, part);
  upload.parts.set(n, part);
  o.log?.({
    level: 'debug',
    event: 'upload.part',
    message: `Sent part ${n} of ${o.key}.`,
    key: o.key,
    part: n,
  });
}

async function readFully(fh: FileHandle, buf: Buffer, len: number, position: number): Promise<Buffer> {
  let got = 0;
  while (got < len) {
    const { bytesRead } = await fh.read(buf, got, len - got, position + got);
    if (bytesRead === 0) throw new ChecksumMismatchError('the local copy became shorter while it was read');
    got += bytesRead;
  }
  return buf.subarray(0, len);
}
