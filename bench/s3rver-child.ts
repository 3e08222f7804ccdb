/**
 * s3rver in a process of its own for the upload benchmark: its CPU and memory are not the
 * uploader's. Prints its port, then serves until killed.
 */
import type { AddressInfo } from 'node:net';
// @ts-expect-error s3rver ships no types
import S3rver from 's3rver';

const [directory, bucket] = process.argv.slice(2) as [string, string];
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  configureBuckets: [{ name: bucket }],
});
const address = (await server.run()) as AddressInfo;
process.stdout.write(`${address.port}\n`);
