import type { Envelope } from '../../feishu/envelope.js';
import { PageGuard } from '../paging.js';
import type { Source, Target } from '../types.js';

/** The `documents.token` of the "every wiki space" container. */
export const WIKI_SPACES_TOKEN = 'wiki-spaces';

interface SpaceList {
  items?: { space_id: string; name?: string; space_type?: string; visibility?: string }[];
  has_more?: boolean;
  page_token?: string;
}

const PAGE_SIZE = 50;

/**
 * Every wiki space the identity can list: with a user token the spaces the user belongs to, with a
 * tenant token the spaces the app is a member of (one root backs up all of a company's wikis once
 * the app is added to them). The personal library is not in this list (see my-library.ts). A page
 * can be empty while `has_more` is true: keep going. 100 requests a minute (the `wiki.spaces` bucket).
 * https://open.feishu.cn/document/server-docs/docs/wiki-v2/space/list
 */
export const wikiSpacesSource: Source = {
  type: 'wiki_spaces',
  async *read(ctx, _target, from) {
    const operation = 'GET /open-apis/wiki/v2/spaces';
    const guard = new PageGuard(operation);
    let pageToken = from?.pageToken;
    guard.resume(pageToken);
    do {
      const params: { page_size: number; page_token?: string } = { page_size: PAGE_SIZE };
      if (pageToken) params.page_token = pageToken;
      const data = await ctx.client.call<SpaceList>(
        'wiki.spaces',
        operation,
        (o) => ctx.client.sdk.wiki.v2.space.list({ params }, o) as Promise<Envelope<SpaceList>>,
        ctx.signal,
      );
      pageToken = guard.next(data.has_more, data.page_token);
      const children: Target[] = (data.items ?? []).map((s) => ({
        type: 'wiki_space',
        token: s.space_id,
        title: s.name,
      }));
      yield { children, next: pageToken ? { phase: 'spaces', pageToken } : undefined };
    } while (pageToken);
  },
};
