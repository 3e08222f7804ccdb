import type { LinkResolver } from './link-resolver.js';

/**
 * Flattening of the rich values sheets and bitables return into the text of one CSV cell. Both
 * products use segment arrays (`[{type:'text',text}, {type:'url',text,link}, {type:'mention',...}]`)
 * and attachment objects, spelled `fileToken` in sheets and `file_token` in bitables.
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** An attachment or image as its local path, or a visible marker naming what is missing. */
export function mediaText(
  kind: 'attachment' | 'image',
  token: string | undefined,
  name: string | undefined,
  links: LinkResolver,
): string {
  if (!token) return `[${kind} without a token${name ? `: ${name}` : ''}]`;
  const path = links.media(token);
  if (path) return path;
  return `[${kind} not backed up: ${name ? `${name} ` : ''}(${token})]`;
}

/** The token of an attachment-like object, in either product's spelling. */
function fileToken(value: Json): string | undefined {
  return str(value.fileToken) ?? str(value.file_token);
}

function isFileSegment(value: unknown): boolean {
  return (
    isObject(value) &&
    (value.type === 'attachment' || value.type === 'embed-image' || fileToken(value) !== undefined)
  );
}

/** One segment or cell object as text. */
export function objectText(value: Json, links: LinkResolver): string {
  if (value.type === 'embed-image') return mediaText('image', fileToken(value), undefined, links);
  if (value.type === 'attachment' || fileToken(value) !== undefined) {
    const mime = str(value.mimeType) ?? str(value.type) ?? '';
    const kind = mime.startsWith('image/') ? 'image' : 'attachment';
    return mediaText(kind, fileToken(value), str(value.text) ?? str(value.name), links);
  }
  if (value.type === 'url' || (str(value.link) && value.type !== 'mention')) {
    const link = str(value.link);
    const text = str(value.text);
    if (!link) return text ?? '';
    return !text || text === link ? link : `${text} (${link})`;
  }
  if (value.type === 'formula' && 'value' in value) return anyText(value.value, links);
  for (const key of ['text', 'full_address', 'name', 'en_name', 'email', 'id']) {
    const text = str(value[key]);
    if (text) return text;
  }
  if (Array.isArray(value.link_record_ids)) return value.link_record_ids.join('; ');
  return JSON.stringify(value);
}

/**
 * Any cell value as text. Segment arrays are concatenated as the editor shows them; attachments
 * and list items are separated by `; ` so two file names never run together.
 */
export function anyText(value: unknown, links: LinkResolver): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (isObject(value)) return objectText(value, links);
  if (!Array.isArray(value)) return String(value);
  const isSegments = value.every((item) => isObject(item) && typeof item.type === 'string');
  if (!isSegments) {
    return value
      .map((item) => anyText(item, links))
      .filter((text) => text !== '')
      .join('; ');
  }
  let out = '';
  let previousWasFile = false;
  for (const segment of value) {
    const file = isFileSegment(segment);
    const text = anyText(segment, links);
    if (out !== '' && text !== '' && (file || previousWasFile)) out += '; ';
    out += text;
    previousWasFile = file;
  }
  return out;
}
