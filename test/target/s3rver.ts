import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
// @ts-expect-error s3rver ships no types
import S3rver from 's3rver';

/** A real S3 server (s3rver) on loopback, on a port the OS picks; its default key pair is S3RVER/S3RVER. */
export interface TestS3 {
  endpoint: string;
  directory: string;
  /** The environment a client (or the CLI) needs to sign requests s3rver accepts. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export const S3_KEY = 'S3RVER';
export const S3_SECRET = 'S3RVER';

export async function startS3(buckets: string[] = ['backup']): Promise<TestS3> {
  // The tests' own S3 clients: the SDK's Node 22 notice is noise here (the CLI hides it itself).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const directory = mkdtempSync(join(tmpdir(), 'feishu-backup-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const address = (await server.run()) as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    directory,
    env: {
      AWS_ACCESS_KEY_ID: S3_KEY,
      AWS_SECRET_ACCESS_KEY: S3_SECRET,
      AWS_REGION: 'us-east-1',
    },
    close: () => server.close(),
  };
}

/** A test's own client for `server`, signed with the key pair s3rver accepts. */
export function s3Client(server: { endpoint: string }): S3Client {
  return new S3Client({
    region: 'us-east-1',
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: S3_KEY, secretAccessKey: S3_SECRET },
  });
}
