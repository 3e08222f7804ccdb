import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';

const minimal = {
  appId: 'cli_test',
  appSecret: 'super-secret-value',
  roots: [{ type: 'folder', token: 'fldcnAAAA' }],
};

function load(extra: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'fb-config-'));
  const file = path.join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ ...minimal, ...extra }));
  return { dir, config: loadConfig({ file, env }) };
}

function problems(extra: Record<string, unknown>): string[] {
  try {
    load(extra);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('the object storage target', () => {
  it('reads an s3:// outputDir as bucket and prefix, staging files beside the config file', () => {
    const { dir, config } = load(
      { outputDir: 's3://my-backups/feishu/nightly/' },
      { AWS_REGION: 'eu-west-1' },
    );
    expect(config.target).toEqual({
      region: 'eu-west-1',
      bucket: 'my-backups',
      prefix: 'feishu/nightly/',
      forcePathStyle: false,
      keepLocal: true,
    });
    expect(config.outputDir).toBe(path.join(dir, 'feishu-backup-staging'));
    expect(config.database).toBe(path.join(dir, 'feishu-backup-staging', 'inventory.sqlite'));
  });

  it('reads a target block beside a local outputDir; an endpoint turns path-style on', () => {
    const { dir, config } = load({
      outputDir: 'out',
      target: {
        endpoint: 'http://127.0.0.1:9000',
        bucket: 'feishu',
        storageClass: 'STANDARD_IA',
        objectLockDays: 30,
      },
    });
    expect(config.outputDir).toBe(path.join(dir, 'out'));
    expect(config.target).toMatchObject({
      endpoint: 'http://127.0.0.1:9000',
      bucket: 'feishu',
      prefix: '',
      forcePathStyle: true,
      storageClass: 'STANDARD_IA',
      objectLockDays: 30,
      region: 'us-east-1',
    });
  });

  it('has no place for credentials, and names each mistake with its fix', () => {
    expect(problems({ outputDir: 'out', target: { bucket: 'ok-bucket', secretAccessKey: 'x' } })).toEqual([
      'target.secretAccessKey: unknown key; remove it or rename it (notes go in "$comment" keys)',
    ]);
    expect(problems({ outputDir: 's3://Bad_Bucket/x' })[0]).toMatch(
      /^outputDir: "Bad_Bucket" is not an S3 bucket name/,
    );
    expect(problems({ outputDir: 's3://one/x', target: { bucket: 'two' } })[0]).toMatch(
      /^target.bucket: "two" differs from the bucket in outputDir/,
    );
    expect(
      problems({
        outputDir: 'out',
        target: { bucket: 'ok-bucket', keepLocal: false, stagingLimit: 'lots' },
      })[0],
    ).toMatch(/^target.stagingLimit: "lots" is not a size/);
    expect(problems({ outputDir: 'out', target: { bucket: 'ok-bucket', stagingLimit: '1GiB' } })[0]).toMatch(
      /^target.stagingLimit: only applies with "keepLocal": false/,
    );
  });

  it('reads keepLocal false with a staging limit in bytes or as a size', () => {
    const at = (stagingLimit: unknown): number | undefined =>
      load({ outputDir: 's3://b-ucket/x', target: { bucket: 'b-ucket', keepLocal: false, stagingLimit } })
        .config.target?.stagingLimit;
    expect(at('2GiB')).toBe(2 * 1024 ** 3);
    expect(at('500MB')).toBe(500_000_000);
    expect(at('1.5G')).toBe(1.5 * 1024 ** 3);
    expect(at(65536)).toBe(65536);
    expect(
      load({ outputDir: 's3://b-ucket/x', target: { bucket: 'b-ucket', keepLocal: false } }).config.target,
    ).toMatchObject({ keepLocal: false, stagingLimit: 2 * 1024 ** 3 });
  });
});
