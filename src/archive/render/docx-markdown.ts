import { embeddedDocument, fileLink, imageLink } from './docx-embeds.js';
import { decodeSafely, field, payload, token } from './docx-fields.js';
import { mathText, plainText, renderInline } from './docx-inline.js';
import { renderTable } from './docx-table.js';
import type { DocumentMeta, RawBlock, TextPayload } from './docx-types.js';
import { BLOCK_TYPE_NAMES, codeFenceLanguage } from './docx-types.js';
import type { LinkResolver } from './link-resolver.js';
import { codeBlock, codeSpan, escapeInline, safeLinkDestination } from './markdown-escape.js';

interface Context {
  byId: ReadonlyMap<string, RawBlock>;
  links: LinkResolver;
  /** Inside a table cell: everything must fit on one GFM table line. */
  inTable: boolean;
  /** Guards against a malformed tree that lists a block under two parents or in a cycle. */
  rendered: Set<string>;
}

type ListKind = 'bullet' | 'ordered';

interface Rendered {
  text: string;
  list?: ListKind;
}

/**
 * A docx document as Markdown, from the blocks exactly as the blocks API returned them. Pure: media
 * and embedded documents are linked through `links`. Every block shows up in the output: those with
 * no Markdown form become a visible `[unsupported block type N: name]` placeholder, and their
 * children are still rendered.
 */
export function renderDocxMarkdown(
  doc: DocumentMeta,
  blocks: readonly RawBlock[],
  links: LinkResolver,
): string {
  const byId = new Map(blocks.map((b) => [b.block_id, b]));
  const ctx: Context = { byId, links, inTable: false, rendered: new Set() };
  const root = byId.get(doc.document_id) ?? blocks.find((b) => b.block_type === 1);
  const parts = [frontMatter(doc)];
  if (root?.block_type === 1) {
    ctx.rendered.add(root.block_id);
    const title =
      renderInline(payload(root, 'page').elements, links).replace(/\\\n/g, ' ') ||
      escapeInline(doc.title ?? '');
    if (title) parts.push(`# ${title}`);
    parts.push(renderChildren(root.children, ctx));
  } else {
    // No page block: render the top-level blocks in the order the API gave them.
    if (doc.title) parts.push(`# ${escapeInline(doc.title)}`);
    parts.push(
      renderChildren(
        blocks.filter((b) => !b.parent_id || !byId.has(b.parent_id)).map((b) => b.block_id),
        ctx,
      ),
    );
  }
  // Blocks the tree never reached (an orphaned subtree) are still content: keep them, visibly.
  const unrendered = new Set(blocks.filter((b) => !ctx.rendered.has(b.block_id)).map((b) => b.block_id));
  const orphanIds = [...unrendered].filter((id) => !unrendered.has(byId.get(id)?.parent_id ?? ''));
  if (orphanIds.length > 0)
    parts.push('---', '[blocks not reachable from the page]', renderChildren(orphanIds, ctx));
  return `${parts.filter(Boolean).join('\n\n')}\n`;
}

function frontMatter(doc: DocumentMeta): string {
  const lines = ['---', `document_id: ${JSON.stringify(doc.document_id)}`];
  if (doc.revision_id !== undefined) lines.push(`revision_id: ${doc.revision_id}`);
  if (doc.title !== undefined) lines.push(`title: ${JSON.stringify(doc.title)}`);
  // JSON strings are valid YAML scalars: a title or URL from the server cannot break out of them.
  if (doc.url !== undefined) lines.push(`url: ${JSON.stringify(doc.url)}`);
  if (doc.revision !== undefined) lines.push(`revision: ${JSON.stringify(doc.revision)}`);
  if (doc.backed_up_at !== undefined) lines.push(`backed_up: ${JSON.stringify(doc.backed_up_at)}`);
  return [...lines, '---'].join('\n');
}

function renderChildren(ids: readonly string[] | undefined, ctx: Context): string {
  let out = '';
  let previous: Rendered | undefined;
  let ordinal = 0;
  for (const id of ids ?? []) {
    const block = ctx.byId.get(id);
    if (block?.block_type === 13) {
      const sequence = Number.parseInt(String(payload(block, 'ordered').style?.sequence ?? ''), 10);
      ordinal = Number.isFinite(sequence) ? sequence : previous?.list === 'ordered' ? ordinal + 1 : 1;
    }
    const current = block ? renderBlock(block, ctx, ordinal) : { text: `> [missing block ${codeSpan(id)}]` };
    if (!current.text) continue;
    // Items of one list sit on consecutive lines (a tight list); everything else is a paragraph.
    const sameList = previous?.list !== undefined && previous.list === current.list;
    out += out === '' ? current.text : `${sameList ? '\n' : '\n\n'}${current.text}`;
    previous = current;
  }
  return out;
}

function renderBlock(block: RawBlock, ctx: Context, ordinal: number): Rendered {
  if (ctx.rendered.has(block.block_id)) return { text: '' };
  ctx.rendered.add(block.block_id);
  const type = block.block_type;
  const links = ctx.links;
  const children = (): string => renderChildren(block.children, ctx);
  const withChildren = (text: string): Rendered => ({
    text: [text, children()].filter(Boolean).join('\n\n'),
  });

  if (type >= 3 && type <= 11) {
    const text = renderInline(payload(block, `heading${type - 2}`).elements, links).replace(/\\\n/g, ' ');
    if (!text) return withChildren('');
    return withChildren(ctx.inTable ? `**${text}**` : `${'#'.repeat(Math.min(type - 2, 6))} ${text}`);
  }
  switch (type) {
    case 2:
      return withChildren(textBlock(payload(block, 'text'), ctx));
    case 12:
      return listItem(block, ctx, '- ', 'bullet');
    case 13:
      return listItem(block, ctx, `${ordinal}. `, 'ordered');
    case 17: {
      const done = payload(block, 'todo').style?.done === true;
      return listItem(block, ctx, done ? '- [x] ' : '- [ ] ', 'bullet', 'todo');
    }
    case 14: {
      const code = payload(block, 'code');
      const content = plainText(code.elements).replace(/\s+$/, '');
      return {
        text: ctx.inTable ? codeSpan(content) : codeBlock(content, codeFenceLanguage(code.style?.language)),
      };
    }
    case 15:
      return {
        text: quote(
          [renderInline(payload(block, 'quote').elements, links), children()].filter(Boolean).join('\n\n'),
        ),
      };
    case 16:
      return withChildren(displayMath(plainText(payload(block, 'equation').elements)));
    case 19:
      return { text: callout(block, children()) };
    case 34:
      return { text: quote(children()) };
    case 22:
      return { text: ctx.inTable ? '—' : '---' };
    case 27: {
      const image = field(block, 'image') as { token?: string; caption?: { content?: string } };
      return withChildren(imageLink(image.token, image.caption?.content || 'image', links));
    }
    case 23: {
      const file = field(block, 'file') as { token?: string; name?: string };
      return withChildren(fileLink(file.token, file.name, links));
    }
    case 30:
      return withChildren(embeddedDocument('sheet', token(block, 'sheet'), links));
    case 18:
      return withChildren(embeddedDocument('bitable', token(block, 'bitable'), links));
    case 43:
      return withChildren(embeddedDocument('board', token(block, 'board'), links));
    case 29:
      return withChildren(embeddedDocument('mindnote', token(block, 'mindnote'), links));
    case 26:
      return { text: iframe(block) };
    case 31:
      return { text: ctx.inTable ? '[nested table]' : renderTable(block, (id) => tableCell(id, ctx)) };
    // Containers with no Markdown form of their own: their content, in order. Grid columns end up
    // one after another, which is how a narrow screen shows them too.
    case 24:
    case 25:
    case 32:
    case 33:
      return { text: children() };
    default:
      return withChildren(`> [unsupported block type ${type}: ${BLOCK_TYPE_NAMES[type] ?? 'unknown'}]`);
  }
}

function textBlock(text: TextPayload, ctx: Context): string {
  const elements = (text.elements ?? []).filter((e) => !(e.text_run && !e.text_run.content));
  // An equation alone in its paragraph is display math, as the editor shows it.
  if (!ctx.inTable && elements.length === 1 && elements[0]?.equation) {
    return displayMath(elements[0].equation.content ?? '');
  }
  const inline = renderInline(text.elements, ctx.links);
  // A paragraph of nothing but spaces would only leave trailing whitespace behind.
  return inline.trim() === '' ? '' : inline;
}

function displayMath(content: string): string {
  return `$$\n${mathText(content)}\n$$`;
}

function listItem(
  block: RawBlock,
  ctx: Context,
  marker: string,
  list: ListKind,
  key = BLOCK_TYPE_NAMES[block.block_type]!,
): Rendered {
  const own = renderInline(payload(block, key).elements, ctx.links);
  const nested = renderChildren(block.children, ctx);
  if (ctx.inTable) return { text: [`${marker}${own}`, nested].filter(Boolean).join(' ') };
  // Continuation lines and children are indented to the item's content column.
  const pad = ' '.repeat(marker.length);
  let text = `${marker}${own}`.trimEnd().replace(/\n/g, `\n${pad}`);
  if (nested) {
    const firstChild = ctx.byId.get(block.children?.[0] ?? '');
    const tight = firstChild !== undefined && [12, 13, 17].includes(firstChild.block_type);
    text += (tight ? '\n' : '\n\n') + indent(nested, pad);
  }
  return { text, list };
}

function callout(block: RawBlock, body: string): string {
  const emoji = (field(block, 'callout') as { emoji_id?: string }).emoji_id;
  // Feishu's emoji ids are the shortcode names (`bulb`, `warning`) that GitHub renders as emoji.
  const head = emoji && /^[a-z0-9_+-]+$/.test(emoji) ? `:${emoji}: ` : '';
  return quote(`${head}**Callout**${body ? `\n\n${body}` : ''}`);
}

function iframe(block: RawBlock): string {
  const component = (field(block, 'iframe') as { component?: { url?: string } }).component ?? {};
  const url = component.url ?? '';
  const destination = safeLinkDestination(url);
  return destination
    ? `Embedded page: [${escapeInline(decodeSafely(url))}](${destination})`
    : `[embedded page: ${codeSpan(url)}]`;
}

function tableCell(id: string, ctx: Context): string {
  const cell = ctx.byId.get(id);
  if (!cell) return `[missing cell ${codeSpan(id)}]`;
  const inner: Context = { ...ctx, inTable: true };
  ctx.rendered.add(id);
  // Several blocks in one cell stay apart as lines; GFM cells cannot hold a newline, only `<br>`.
  return renderChildren(cell.children, inner)
    .split('\n')
    .map((line) => line.replace(/\\$/, '').trim())
    .filter(Boolean)
    .join('<br>');
}

function quote(text: string): string {
  return text
    .split('\n')
    .map((line) => (line ? `> ${line}` : '>'))
    .join('\n');
}

function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((line) => (line ? pad + line : line))
    .join('\n');
}
