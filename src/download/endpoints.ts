import type { Bucket } from '../feishu/buckets.js';
import type { MediaSource } from '../inventory/media-refs.js';

/**
 * How one kind of file is downloaded (`media.source`, set by the crawl). Each endpoint has its own
 * per-second limit and, where Feishu documents one, its own daily counter: spending one never stops
 * the others.
 */
export interface Endpoint {
  source: MediaSource;
  /** The pacing bucket (src/feishu/buckets.ts) and the `quota_usage.bucket` of its daily counter. */
  bucket: Bucket;
  /** Whether a `.part` may be continued with `Range`; otherwise every attempt fetches the whole file. */
  range: boolean;
  /** Whether Feishu caps the calls per day (then `perDay` applies and 1061045 stops only this endpoint). */
  dailyCap: boolean;
  /** Whether the server's `Content-Disposition` name is the file's name. */
  serverNames: boolean;
  url: (baseUrl: string, fileToken: string, extra?: string | null) => string;
  /** For messages and errors: `GET /open-apis/...`. */
  operation: (fileToken: string) => string;
  /** Fetched through a temporary URL (see tmp-urls.ts), not `url`: no Authorization header. */
  tmpUrl?: boolean;
}

/**
 * Media inside documents.
 * https://open.feishu.cn/document/server-docs/docs/drive-v1/media/download
 */
const MEDIA: Endpoint = {
  source: 'media',
  bucket: 'media.download',
  range: true,
  dailyCap: true,
  serverNames: true,
  url: (baseUrl, fileToken, extra) => {
    const url = `${baseUrl}/open-apis/drive/v1/medias/${encodeURIComponent(fileToken)}/download`;
    return extra ? `${url}?extra=${encodeURIComponent(extra)}` : url;
  },
  operation: (t) => `GET /open-apis/drive/v1/medias/${t}/download`,
};

/**
 * Files stored in the drive itself (`type: file` in folders and wiki spaces): same 5 QPS and
 * 10,000/day as media, counted separately; `Range` is accepted as for media.
 * https://open.feishu.cn/document/server-docs/docs/drive-v1/download/download
 */
const DRIVE_FILE: Endpoint = {
  source: 'drive_file',
  bucket: 'drive.download',
  range: true,
  dailyCap: true,
  serverNames: true,
  url: (baseUrl, fileToken) =>
    `${baseUrl}/open-apis/drive/v1/files/${encodeURIComponent(fileToken)}/download`,
  operation: (t) => `GET /open-apis/drive/v1/files/${t}/download`,
};

/**
 * Whiteboards rendered as an image. Documented at 10/s with no daily cap; the page documents neither
 * `Range` nor a file name, so every attempt fetches the whole (small) image, still verified and
 * published atomically, and the name comes from the document (see `board-name.ts`).
 * https://open.feishu.cn/document/docs/board-v1/whiteboard/download_as_image
 */
const BOARD: Endpoint = {
  source: 'board',
  bucket: 'board.image',
  range: false,
  dailyCap: false,
  serverNames: false,
  url: (baseUrl, id) =>
    `${baseUrl}/open-apis/board/v1/whiteboards/${encodeURIComponent(id)}/download_as_image`,
  operation: (t) => `GET /open-apis/board/v1/whiteboards/${t}/download_as_image`,
};

/**
 * Media inside documents fetched through a temporary URL from batch_get_tmp_download_url (on Feishu's
 * download host, outside /open-apis; whether it counts against the 10,000/day is not documented, so
 * its fetches have their own counter, `media.tmp_download`, and pace).
 * https://open.feishu.cn/document/server-docs/docs/drive-v1/media/batch_get_tmp_download_url
 */
export const TMP_MEDIA: Endpoint = {
  source: 'media',
  bucket: 'media.tmp_download',
  range: true,
  dailyCap: false,
  serverNames: true,
  tmpUrl: true,
  url: () => {
    throw new Error('a temporary-URL file is fetched at the URL the batch call handed out');
  },
  operation: (t) => `GET <temporary URL of ${t}>`,
};

/** The registry: one endpoint per `media.source`. */
export const ENDPOINTS: Readonly<Record<MediaSource, Endpoint>> = {
  media: MEDIA,
  drive_file: DRIVE_FILE,
  board: BOARD,
};

/** The endpoint of a row; an unknown source (a newer inventory) is downloaded as media. */
export function endpointFor(source: string | null | undefined): Endpoint {
  return ENDPOINTS[source as MediaSource] ?? MEDIA;
}
