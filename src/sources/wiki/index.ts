import type { Envelope } from '../../feishu/envelope.js';
import { FeishuError } from '../../feishu/errors.js';
import { listedVersion } from '../../inventory/drive-versions.js';
import type { FoundRef } from '../../inventory/media-refs.js';
import { PageGuard } from '../paging.js';
import type { DocType, Source, SourceContext, SourcePage, Target } from '../types.js';

export interface WikiNode {
  space_id?: string;
  node_token: string;
  obj_token: string;
  obj_type: string;
  node_type?: string;
  origin_node_token?: string;
  has_child?: boolean;
  title?: string;
  obj_edit_time?: string;
}

interface NodeList {
  items?: WikiNode[];
  has_more?: boolean;
  page_token?: string;
}

const PAGE_SIZE = 50;

/**
 * Wiki spaces and nodes: the space lists its top nodes, each node with children lists its own.
 * A page can be empty while `has_more` is true (the server filters after paging): keep going.
 * https://open.feishu.cn/document/server-docs/docs/wiki-v2/space-node/list
 */
async function* listNodes(
  ctx: SourceContext,
  spaceId: string,
  parent: string | undefined,
  from: string | undefined,
) {
  const operation = `GET /open-apis/wiki/v2/spaces/${spaceId}/nodes`;
  const guard = new PageGuard(operation);
  let pageToken = from;
  guard.resume(pageToken);
  do {
    const params: { page_size: number; page_token?: string; parent_node_token?: string } = {
      page_size: PAGE_SIZE,
    };
    if (pageToken) params.page_token = pageToken;
    if (parent) params.parent_node_token = parent;
    const data = await ctx.client.call<NodeList>(
      'wiki.nodes',
      operation,
      (o) =>
        ctx.client.sdk.wiki.v2.spaceNode.list({ path: { space_id: spaceId }, params }, o) as Promise<
          Envelope<NodeList>
        >,
      ctx.signal,
    );
    pageToken = guard.next(data.has_more, data.page_token);
    const page: SourcePage = nodesToPage(spaceId, data.items ?? []);
    page.next = pageToken ? { phase: 'nodes', pageToken } : undefined;
    yield page;
  } while (pageToken);
}

/** Each node is recorded (for its title and place) and its object is a document to crawl. */
export function nodesToPage(spaceId: string, nodes: readonly WikiNode[]): SourcePage {
  const children: Target[] = [];
  const refs: FoundRef[] = [];
  for (const n of nodes) {
    children.push({
      type: 'wiki_node',
      token: n.node_token,
      title: n.title,
      meta: { spaceId: n.space_id ?? spaceId, ...wikiNodeMeta(n) },
    });
  }
  return { children, refs };
}

function wikiNodeMeta(n: WikiNode): Record<string, string> {
  const meta: Record<string, string> = { objType: n.obj_type, objToken: n.obj_token };
  if (n.obj_edit_time) meta.objEditTime = n.obj_edit_time;
  if (n.has_child) meta.hasChild = '1';
  return meta;
}

/** The object a node points at (shortcuts carry their target's object), as a document to crawl. */
export function nodeObject(
  meta: Record<string, string>,
  title: string | undefined,
): Target | FoundRef | undefined {
  const { objType, objToken } = meta;
  if (!objType || !objToken) return undefined;
  if (objType === 'file')
    return {
      fileToken: objToken,
      location: `wiki:${meta.spaceId}`,
      kind: 'drive_file',
      source: 'drive_file',
      name: title,
      // The file's edit time: changes when a new version is uploaded under the same token.
      version: listedVersion(meta.objEditTime),
    };
  return {
    type: objType as DocType,
    token: objToken,
    title,
    listedRevision: meta.objEditTime ? `edit:${meta.objEditTime}` : undefined,
  };
}

export const wikiSpaceSource: Source = {
  type: 'wiki_space',
  read(ctx, target, from) {
    return listNodes(ctx, target.token, undefined, from?.pageToken);
  },
};

/**
 * A wiki node: its object is crawled as its own document; a node with children lists them. Node
 * metadata comes from the listing, or from `get_node` for a node named by URL.
 * https://open.feishu.cn/document/server-docs/docs/wiki-v2/space-node/get_node
 */
export const wikiNodeSource: Source = {
  type: 'wiki_node',
  async revision(ctx, target) {
    if (target.meta?.objToken) return {};
    const node = await getNode(ctx, target.token);
    return { title: node.title, memo: { spaceId: node.space_id ?? '', ...wikiNodeMeta(node) } };
  },
  async *read(ctx, target, from, memo) {
    const meta = (memo as Record<string, string> | undefined) ?? target.meta ?? {};
    if (!from) {
      const object = nodeObject(meta, target.title);
      if (object && 'fileToken' in object) yield { refs: [object], next: { phase: 'children' } };
      else yield { children: object ? [object] : [], next: { phase: 'children' } };
    }
    if (meta.hasChild && meta.spaceId) {
      yield* listNodes(ctx, meta.spaceId, target.token, from?.pageToken);
    }
  },
};

export async function getNode(ctx: SourceContext, token: string): Promise<WikiNode> {
  const data = await ctx.client.call<{ node?: WikiNode }>(
    'wiki.nodes',
    'GET /open-apis/wiki/v2/spaces/get_node',
    (o) =>
      ctx.client.sdk.wiki.v2.space.getNode({ params: { token, obj_type: 'wiki' } }, o) as Promise<
        Envelope<{ node?: WikiNode }>
      >,
    ctx.signal,
  );
  if (!data.node) {
    throw new FeishuError('GET /open-apis/wiki/v2/spaces/get_node', {
      msg: 'answer has no node',
      kind: 'protocol',
    });
  }
  return data.node;
}
