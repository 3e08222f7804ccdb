import { parseContentLength, parseContentRange } from './content-range.js';
import type { MediaRequest } from './fetch-media.js';
import { UNKNOWN_TOTAL } from './part-file.js';

/**
 * Whether a 206 to `Range: bytes=<have>-` continues the `.part`, and the file's total if it does. It
 * must start at the bytes held, give a total (`bytes a-b/*` does not), carry a `Content-Length` (if
 * any) matching its range, and its total must agree with the size the `.part` was started for. A
 * `.part` started from a 200 without `Content-Length` (sidecar total UNKNOWN_TOTAL) recorded no size:
 * then the total is taken as the file's size from here on (the caller records it in the sidecar). The
 * inventory's listed size is a hint and refuses nothing (issue 18). Undefined: start over.
 */
export function judgePartial(
  req: Pick<MediaRequest, 'have' | 'expectedTotal'>,
  contentRange: string | undefined,
  contentLength: string | undefined,
): { total: number } | undefined {
  const range = parseContentRange(contentRange);
  const length = parseContentLength(contentLength);
  if (req.have <= 0 || range?.start !== req.have || range.total === undefined) return undefined;
  if (length !== undefined && length !== range.end! - range.start + 1) return undefined;
  // The sidecar's total came from the server; the listing's size is only a hint (see fetchMedia).
  const known = req.expectedTotal === UNKNOWN_TOTAL ? undefined : req.expectedTotal;
  if (known !== undefined && range.total !== known) return undefined;
  return { total: range.total };
}

/**
 * What a 416 to `Range: bytes=<have>-` says about the `.part`. RFC 9110 §15.5.17: the answer SHOULD
 * carry the file's length in the unsatisfied form of `Content-Range` (`bytes *` then `/<length>`, no
 * space; see content-range.ts). A run stopped between the last byte and the rename leaves a `.part`
 * holding the whole file; when the inventory knows no size, asking for the rest is how we learn it.
 * The length is the server's claim and the `.part`'s bytes came from answers we checked, so equality
 * is enough, provided the size the sidecar recorded when the `.part` was started (unless it recorded
 * none) agrees; the inventory's listed size is a hint and refuses nothing. Anything else (no header, a
 * malformed one, the satisfied form, another length: the file changed) and the `.part` is not the file.
 */
export function judgeUnsatisfiable(
  req: Pick<MediaRequest, 'have' | 'expectedTotal'>,
  rangeSent: boolean,
  contentRange: string | undefined,
): { whole: true } | { whole: false; reason: string } {
  if (!rangeSent || req.have <= 0) {
    return { whole: false, reason: 'the server answered 416 to a request without Range' };
  }
  if (contentRange === undefined) {
    return { whole: false, reason: 'the server refused the range (416) without a Content-Range' };
  }
  const range = parseContentRange(contentRange);
  if (range?.total === undefined || range.start !== undefined) {
    return {
      whole: false,
      reason: `the server refused the range (416) with an unreadable Content-Range ${JSON.stringify(contentRange.slice(0, 80))}`,
    };
  }
  const length = range.total;
  const refused = `the server refused the range (416): the file is ${length} bytes`;
  if (length !== req.have) {
    return { whole: false, reason: `${refused}, the .part holds ${req.have}` };
  }
  if (
    req.expectedTotal !== undefined &&
    req.expectedTotal !== UNKNOWN_TOTAL &&
    length !== req.expectedTotal
  ) {
    return { whole: false, reason: `${refused}, the .part was started for ${req.expectedTotal}` };
  }
  return { whole: true };
}
