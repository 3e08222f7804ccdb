import { ListPartsCommand, type S3Client } from '@aws-sdk/client-s3';

/** What the server says of a multipart upload an earlier run left. */
export type ServerParts =
  /** The parts it holds, by number: size and ETag (quotes stripped). */
  | { kind: 'parts'; parts: Map<number, { size: number; etag: string }> }
  /** NoSuchUpload: completed, aborted or expired (a lifecycle rule) since. */
  | { kind: 'unknown' }
  /** The server does not implement ListParts (s3rver 3.7 answers 405): the inventory is trusted alone. */
  | { kind: 'unsupported' };

interface SdkError {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}

export const stripQuotes = (etag: string): string => etag.replace(/"/g, '');

/** NoSuchUpload: the server no longer knows the upload id (S3 answers 404 with this code). */
export function isNoSuchUpload(e: unknown): boolean {
  const err = e as SdkError;
  return (
    err.name === 'NoSuchUpload' || (err.$metadata?.httpStatusCode === 404 && err.name !== 'NoSuchBucket')
  );
}

/**
 * ListParts, every page (S3 returns up to 1,000 parts a page): used, where the server has it, to
 * reuse only the recorded parts the server still holds with the same ETag. Never relied on: a server
 * without it leaves the inventory's record as the only one.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html
 */
export async function listServerParts(
  client: S3Client,
  bucket: string,
  key: string,
  uploadId: string,
  signal?: AbortSignal,
): Promise<ServerParts> {
  const parts = new Map<number, { size: number; etag: string }>();
  let marker: string | undefined;
  try {
    for (;;) {
      const page = await client.send(
        new ListPartsCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          ...(marker ? { PartNumberMarker: marker } : {}),
        }),
        signal ? { abortSignal: signal } : {},
      );
      for (const p of page.Parts ?? []) {
        if (p.PartNumber && p.ETag)
          parts.set(p.PartNumber, { size: p.Size ?? -1, etag: stripQuotes(p.ETag) });
      }
      if (!page.IsTruncated || !page.NextPartNumberMarker) return { kind: 'parts', parts };
      marker = page.NextPartNumberMarker;
    }
  } catch (e) {
    if (isNoSuchUpload(e)) return { kind: 'unknown' };
    const status = (e as SdkError).$metadata?.httpStatusCode;
    const name = (e as SdkError).name;
    if (status === 405 || status === 501 || name === 'NotImplemented' || name === 'MethodNotAllowed') {
      return { kind: 'unsupported' };
    }
    throw e;
  }
}
