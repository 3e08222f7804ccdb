import contentDisposition from 'content-disposition';

/**
 * The file name a `Content-Disposition` header carries, or undefined. Accepts the RFC 6266 forms the
 * `content-disposition` package parses (`filename*=UTF-8''...` preferred over `filename=`), then falls
 * back to a tolerant reading for what servers really send: raw UTF-8 bytes inside `filename="..."`
 * (Node hands header bytes over as latin1), percent-encoded plain names, unquoted names with spaces.
 * The result is not sanitised: pass it through `sanitizeFilename`.
 */
export function filenameFromContentDisposition(header: string | undefined): string | undefined {
  if (!header) return undefined;
  let name: string | undefined;
  try {
    const parsed = contentDisposition.parse(header);
    name = parsed.parameters.filename;
  } catch {
    name = tolerantFilename(header);
  }
  if (name === undefined) return undefined;
  name = repairEncoding(name);
  return name === '' ? undefined : name;
}

function tolerantFilename(header: string): string | undefined {
  const star = /filename\*\s*=\s*([\w!#$&+.^`|~-]+)'[^']*'([^;]+)/i.exec(header);
  if (star) {
    const decoded = percentDecode(star[2]!.trim().replace(/^"|"$/g, ''), star[1]!);
    if (decoded) return decoded;
  }
  const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header);
  if (quoted) return quoted[1]!.replace(/\\(.)/g, '$1');
  const plain = /filename\s*=\s*([^;]+)/i.exec(header);
  if (plain) return plain[1]!.trim();
  return undefined;
}

function percentDecode(value: string, charset: string): string | undefined {
  try {
    if (/^utf-?8$/i.test(charset)) return decodeURIComponent(value);
    // ISO-8859-1 and unknown charsets: bytes as latin1.
    return value.replace(/%([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
  } catch {
    return undefined;
  }
}

/** Undoes the two encodings servers put in plain `filename=`: UTF-8 bytes read as latin1, and %XX. */
function repairEncoding(name: string): string {
  let out = name;
  if (/[\x80-\xff]/.test(out) && /^[\x00-\xff]*$/.test(out)) {
    const bytes = Buffer.from(out, 'latin1');
    const utf8 = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    if (!utf8.includes('\uFFFD')) out = utf8;
  }
  if (/%[0-9a-f]{2}/i.test(out)) {
    try {
      const decoded = decodeURIComponent(out);
      if (!decoded.includes('\uFFFD')) out = decoded;
    } catch {
      // Not percent-encoding after all (a literal "%41" in a name): keep it.
    }
  }
  return out;
}
