import type { Target } from '../config/types.js';

export type TargetErrorKind = 'bucket_missing' | 'credentials' | 'no_credentials' | 'unreachable';

/**
 * The bucket cannot be used at all: a setup problem (exit 2), found before any file is uploaded.
 * Messages name the bucket and the fix, never a credential (the SDK's own message can quote the
 * access key id, so it is not passed on).
 */
export class TargetError extends Error {
  override readonly name = 'TargetError';
  readonly code: string;
  constructor(
    readonly kind: TargetErrorKind,
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.code = `target.${kind}`;
  }
}

interface SdkError {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

const CREDENTIAL_NAMES = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'AccessDenied',
  'Forbidden',
  'ExpiredToken',
  'InvalidToken',
]);

const CREDENTIAL_FIX =
  'Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) to a key that may list, read and write the bucket (see "Object storage" in the README for the permissions).';

/** Sorts an S3 answer to the bucket check into a TargetError, or undefined when it is not a setup problem. */
export function classifyTargetError(e: unknown, t: Target): TargetError | undefined {
  const err = e as SdkError;
  const status = err.$metadata?.httpStatusCode;
  const where = `s3://${t.bucket}${t.endpoint ? ` at ${t.endpoint}` : ''}`;
  if (err.name === 'CredentialsProviderError') {
    return new TargetError(
      'no_credentials',
      `No AWS credentials were found for the bucket ${where}.`,
      CREDENTIAL_FIX,
    );
  }
  if (err.name === 'NoSuchBucket' || err.name === 'NotFound' || status === 404) {
    return new TargetError(
      'bucket_missing',
      `The bucket ${where} does not exist.`,
      `Create it first (e.g. \`aws s3 mb s3://${t.bucket}${t.endpoint ? ` --endpoint-url ${t.endpoint}` : ''}\`, or \`mc mb\` for MinIO), or fix target.bucket / outputDir.`,
    );
  }
  if (CREDENTIAL_NAMES.has(err.name ?? '') || status === 403 || status === 401) {
    return new TargetError(
      'credentials',
      `The bucket ${where} refused the credentials (HTTP ${status ?? '403'}, ${err.name ?? 'denied'}).`,
      CREDENTIAL_FIX,
    );
  }
  const code = err.code ?? (e as { cause?: { code?: string } }).cause?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ECONNRESET') {
    return new TargetError(
      'unreachable',
      `The S3 endpoint for ${where} cannot be reached (${code}).`,
      'Check target.endpoint (scheme, host and port) and that the server is running.',
    );
  }
  return undefined;
}
