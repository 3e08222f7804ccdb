import type { TextElement, TextElementStyle } from './docx-types.js';
import { MENTION_OBJ_TYPES } from './docx-types.js';
import type { EmbeddedDocumentType, LinkResolver } from './link-resolver.js';
import { encodeLinkPath } from './link-resolver.js';
import { codeSpan, escapeInline, escapeLineStart, safeLinkDestination } from './markdown-escape.js';

/** A hard line break inside a paragraph; kept symbolic so breaks at the edges can be dropped. */
const BREAK = Symbol('break');
type Piece = string | typeof BREAK;

interface Run {
  kind: 'run';
  content: string;
  style: TextElementStyle;
}

/**
 * A block's text elements as one line of inline Markdown (hard breaks as `\` + newline). Text is
 * escaped so it shows as written; styles become `**`, `*`, `~~` and code spans. Markdown has no
 * underline, so underline is dropped: the words survive, only the decoration is lost.
 */
export function renderInline(elements: readonly TextElement[] | undefined, links: LinkResolver): string {
  const pieces: Piece[] = [];
  // Inline files, set apart from the words around them by a space (`see attached [📎 a.jpg](…)`).
  const apart = new Set<number>();
  const merged = mergeRuns(elements ?? []);
  merged.forEach((element, i) => {
    if (element.kind === 'run')
      pushText(pieces, element, edge(merged[i - 1], 'end'), edge(merged[i + 1], 'start'));
    else {
      const piece = renderElement(element.element, links);
      if (element.element.file) apart.add(pieces.length);
      pieces.push(piece);
    }
  });
  let first = 0;
  while (pieces[first] === BREAK) first++;
  while (pieces.length > first && pieces.at(-1) === BREAK) pieces.pop();
  let out = '';
  let atLineStart = true;
  let spaceNext = false;
  for (let i = first; i < pieces.length; i++) {
    const piece = pieces[i]!;
    if (piece === BREAK) {
      out += '\\\n';
      atLineStart = true;
      spaceNext = false;
      continue;
    }
    const text = atLineStart ? escapeLineStart(piece) : piece;
    // No space before closing punctuation (`file.pdf).` stays together).
    const space =
      !atLineStart &&
      (apart.has(i) || (spaceNext && !/^[.,;:!?)\]}。，；：！？、）]/.test(text))) &&
      !/\s$/.test(out) &&
      !/^\s/.test(text);
    out += (space ? ' ' : '') + text;
    spaceNext = apart.has(i);
    atLineStart = false;
  }
  return out;
}

/** The plain text of elements, unescaped, for code blocks and equations. */
export function plainText(elements: readonly TextElement[] | undefined): string {
  return (elements ?? [])
    .map((e) => e.text_run?.content ?? mentionText(e.mention_doc) ?? e.equation?.content ?? '')
    .join('');
}

// In code, a pasted document URL becomes a mention; the URL is what the author typed.
function mentionText(mention: TextElement['mention_doc']): string | undefined {
  if (!mention) return undefined;
  if (!mention.url) return mention.title;
  try {
    return decodeURIComponent(mention.url);
  } catch {
    return mention.url;
  }
}

/** Math content made safe to sit in Markdown: `<` and `>` would otherwise open raw HTML. */
export function mathText(content: string): string {
  return content.trim().replace(/</g, '\\lt ').replace(/>/g, '\\gt ');
}

// Feishu splits text into runs at every edit; neighbouring runs with one style must be joined, or
// `**a****b**` would come out instead of `**ab**`.
function mergeRuns(elements: readonly TextElement[]): Element[] {
  const out: Element[] = [];
  for (const element of elements) {
    const run = element.text_run;
    if (run && !run.content) continue;
    if (!run) {
      out.push({ kind: 'other', element });
      continue;
    }
    const style = run.text_element_style ?? {};
    const previous = out.at(-1);
    if (previous?.kind === 'run' && styleKey(previous.style) === styleKey(style)) {
      previous.content += run.content ?? '';
    } else {
      out.push({ kind: 'run', content: run.content ?? '', style });
    }
  }
  return out;
}

function styleKey(style: TextElementStyle): string {
  return [style.bold, style.italic, style.strikethrough, style.inline_code, style.link?.url ?? '']
    .map((v) => (typeof v === 'string' ? v : v ? '1' : '0'))
    .join('|');
}

type Element = Run | { kind: 'other'; element: TextElement };

const PUNCTUATION = /[\p{P}\p{S}]/u;
const isStyled = (s: TextElementStyle): boolean =>
  Boolean(s.bold || s.italic || s.strikethrough || s.inline_code || s.link?.url);

/**
 * The character a neighbouring element shows next to a run, as far as CommonMark's flanking rules
 * care: '' for a paragraph edge, a delimiter for styled runs, and a letter (the cautious guess) for
 * mentions and other elements.
 */
function edge(element: Element | undefined, side: 'start' | 'end'): string {
  if (!element) return '';
  if (element.kind !== 'run') return 'a';
  const ch = side === 'end' ? element.content.at(-1) : element.content[0];
  if (ch === undefined || ch === '\n') return '';
  return /\s/.test(ch) || !isStyled(element.style) ? ch : '*';
}

function pushText(pieces: Piece[], run: Run, before: string, after: string): void {
  const lines = run.content.split(/\r?\n/);
  lines.forEach((line, index) => {
    if (index > 0) pieces.push(BREAK);
    const prev = index === 0 ? before : '';
    const next = index === lines.length - 1 ? after : '';
    if (line !== '') pieces.push(styled(line, run.style, prev, next));
  });
}

function styled(text: string, style: TextElementStyle, prev: string, next: string): string {
  // Emphasis delimiters next to whitespace do not count, so the whitespace moves outside them.
  const [, lead = '', core = '', trail = ''] = /^(\s*)(.*?)(\s*)$/su.exec(text) ?? [];
  if (core === '') return text;
  let md = style.inline_code ? codeSpan(core) : escapeInline(core);
  const url = style.link?.url;
  // `**` only opens before punctuation when it follows a space or punctuation, and only closes after
  // punctuation when a space or punctuation follows: `的**《书》**是` stays literal asterisks. Chinese
  // text hits this all the time, so there the HTML tags (ours, never the document's) are used.
  const loose = (c: string): boolean => c === '' || /\s/.test(c) || PUNCTUATION.test(c);
  const opens = lead !== '' || url !== undefined || !PUNCTUATION.test(md[0]!) || loose(prev);
  const closes = trail !== '' || url !== undefined || !PUNCTUATION.test(md.at(-1)!) || loose(next);
  const [b, i, s] = opens && closes ? MARKDOWN_DELIMITERS : HTML_DELIMITERS;
  if (style.italic) md = `${i[0]}${md}${i[1]}`;
  if (style.bold) md = `${b[0]}${md}${b[1]}`;
  if (style.strikethrough) md = `${s[0]}${md}${s[1]}`;
  if (url) {
    const destination = safeLinkDestination(url);
    md = destination ? `[${md}](${destination})` : `${md} (link removed: ${codeSpan(url)})`;
  }
  return `${lead}${md}${trail}`;
}

const MARKDOWN_DELIMITERS = [
  ['**', '**'],
  ['*', '*'],
  ['~~', '~~'],
] as const;
const HTML_DELIMITERS = [
  ['<strong>', '</strong>'],
  ['<em>', '</em>'],
  ['<del>', '</del>'],
] as const;

function renderElement(element: TextElement, links: LinkResolver): string {
  if (element.mention_user) {
    const id = element.mention_user.user_id ?? '';
    return `@${escapeInline(links.user?.(id) ?? id)}`;
  }
  if (element.mention_doc) return mentionDoc(element.mention_doc, links);
  if (element.equation) return `$${mathText(element.equation.content ?? '')}$`;
  if (element.file) {
    const token = element.file.file_token ?? '';
    const path = links.media(token);
    // Named by its file name and set apart from the words around it, as Feishu shows an inline file.
    const name = path?.split('/').at(-1);
    return path && name
      ? `[📎 ${escapeInline(name)}](${encodeLinkPath(path)})`
      : `[attachment not backed up: ${codeSpan(token)}]`;
  }
  if (element.link_preview) {
    const { url = '', title } = element.link_preview;
    const destination = safeLinkDestination(url);
    const label = escapeInline(title || url);
    return destination ? `[${label}](${destination})` : label;
  }
  if (element.reminder) {
    const ms = Number(element.reminder.notify_time ?? element.reminder.expire_time);
    return Number.isFinite(ms) ? `[reminder: ${new Date(ms).toISOString()}]` : '[reminder]';
  }
  if (element.inline_block) return `[inline block ${codeSpan(element.inline_block.block_id ?? '')}]`;
  const kind = Object.keys(element)[0] ?? 'empty';
  return `[unsupported inline element: ${codeSpan(kind)}]`;
}

function mentionDoc(mention: NonNullable<TextElement['mention_doc']>, links: LinkResolver): string {
  const label = escapeInline(mention.title || mention.url || mention.token || 'document');
  const type = MENTION_OBJ_TYPES[mention.obj_type ?? -1] as EmbeddedDocumentType | undefined;
  const local = type && mention.token ? links.document(type, mention.token) : undefined;
  if (local) return `[${label}](${encodeLinkPath(local)})`;
  const destination = mention.url ? safeLinkDestination(mention.url) : undefined;
  return destination ? `[${label}](${destination})` : label;
}
