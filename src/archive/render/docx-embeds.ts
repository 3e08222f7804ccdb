import type { EmbeddedDocumentType, LinkResolver } from './link-resolver.js';
import { encodeLinkPath } from './link-resolver.js';
import { codeSpan, escapeInline } from './markdown-escape.js';

/**
 * Media and embedded documents as links to the backed-up copies. What is missing is said out loud
 * with its token, so a reader can tell "not backed up" from "nothing was there" and look it up.
 */

export function imageLink(token: string | undefined, alt: string, links: LinkResolver): string {
  if (!token) return '[image without a token]';
  const path = links.media(token);
  return path
    ? `![${escapeInline(alt)}](${encodeLinkPath(path)})`
    : `[image not backed up: ${codeSpan(token)}]`;
}

export function fileLink(token: string | undefined, name: string | undefined, links: LinkResolver): string {
  const label = escapeInline(name || 'attachment');
  if (!token) return `Attachment: ${label} [no token]`;
  const path = links.media(token);
  return path
    ? `Attachment: [${label}](${encodeLinkPath(path)})`
    : `Attachment: ${label} [not backed up: ${codeSpan(token)}]`;
}

const LABELS: Record<EmbeddedDocumentType, string> = {
  sheet: 'Embedded sheet',
  bitable: 'Embedded bitable',
  board: 'Whiteboard',
  mindnote: 'Mind note',
  docx: 'Document',
  doc: 'Document',
  file: 'File',
  slides: 'Slides',
  wiki: 'Wiki page',
};

/**
 * An embedded document: a link to its export, or an image for a whiteboard (exported as a picture),
 * or a visible note with the token when there is no export.
 */
export function embeddedDocument(
  type: EmbeddedDocumentType,
  token: string | undefined,
  links: LinkResolver,
): string {
  const label = LABELS[type];
  if (!token) return `[${label.toLowerCase()} without a token]`;
  const path = links.document(type, token);
  if (!path) return `[${label.toLowerCase()} not exported: ${codeSpan(token)}]`;
  const destination = encodeLinkPath(path);
  return type === 'board'
    ? `![${label}](${destination})`
    : `${label}: [${escapeInline(lastSegment(path))}](${destination})`;
}

function lastSegment(path: string): string {
  return path.split('/').filter(Boolean).at(-1) ?? path;
}
