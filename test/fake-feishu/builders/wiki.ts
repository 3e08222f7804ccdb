import type { Tenant, WikiNode, WikiSpace } from '../model.js';
import { EPOCH_SECONDS, idRng } from './tenant.js';

export function addWikiSpace(tenant: Tenant, options: { name: string }): WikiSpace {
  const space: WikiSpace = {
    spaceId: String(7_000_000_000_000_000_000n + BigInt(idRng(tenant).int(0, 1e9))),
    name: options.name,
    spaceType: 'team',
    visibility: 'private',
    nodes: [],
  };
  tenant.wikiSpaces.push(space);
  return space;
}

export function addWikiNode(
  tenant: Tenant,
  space: WikiSpace,
  options: {
    objToken: string;
    objType: WikiNode['objType'];
    title: string;
    parentNodeToken?: string;
    /** Makes a shortcut node pointing at this origin node. */
    shortcutOf?: WikiNode;
  },
): WikiNode {
  const nodeToken = idRng(tenant).token('wikcn');
  const t = EPOCH_SECONDS - idRng(tenant).int(0, 86400 * 200);
  const node: WikiNode = {
    nodeToken,
    objToken: options.shortcutOf?.objToken ?? options.objToken,
    objType: options.shortcutOf?.objType ?? options.objType,
    parentNodeToken: options.parentNodeToken ?? '',
    nodeType: options.shortcutOf ? 'shortcut' : 'origin',
    originNodeToken: options.shortcutOf?.nodeToken ?? nodeToken,
    title: options.title,
    objCreateTime: t,
    objEditTime: t + 3600,
  };
  space.nodes.push(node);
  return node;
}
