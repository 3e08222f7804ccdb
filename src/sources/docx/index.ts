import type { Envelope } from '../../feishu/envelope.js';
import { PageGuard } from '../paging.js';
import type { Source } from '../types.js';
import { type Block, extractBlocks } from './extract.js';

interface BlockList {
  items?: Block[];
  has_more?: boolean;
  page_token?: string;
}

const PAGE_SIZE = 500;

/**
 * New documents (docx). The revision comes from the document itself when no listing gave one; the
 * blocks are read at the latest revision, 500 a page.
 * https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document/get
 * https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document/list
 */
export const docxSource: Source = {
  type: 'docx',
  async revision(ctx, target) {
    const data = await ctx.client.call<{ document?: { revision_id?: number; title?: string } }>(
      'docx.document',
      `GET /open-apis/docx/v1/documents/${target.token}`,
      (o) =>
        ctx.client.sdk.docx.v1.document.get({ path: { document_id: target.token } }, o) as Promise<
          Envelope<{ document?: { revision_id?: number; title?: string } }>
        >,
      ctx.signal,
    );
    const rev = data.document?.revision_id;
    return { revision: rev === undefined ? undefined : `rev:${rev}`, title: data.document?.title };
  },
  async *read(ctx, target, from) {
    const operation = `GET /open-apis/docx/v1/documents/${target.token}/blocks`;
    const guard = new PageGuard(operation);
    let pageToken = from?.pageToken;
    guard.resume(pageToken);
    do {
      const params: { page_size: number; document_revision_id: number; page_token?: string } = {
        page_size: PAGE_SIZE,
        document_revision_id: -1,
      };
      if (pageToken) params.page_token = pageToken;
      const data = await ctx.client.call<BlockList>(
        'docx.blocks',
        operation,
        (o) =>
          ctx.client.sdk.docx.v1.documentBlock.list(
            { path: { document_id: target.token }, params },
            o,
          ) as Promise<Envelope<BlockList>>,
        ctx.signal,
      );
      pageToken = guard.next(data.has_more, data.page_token);
      yield {
        ...extractBlocks(data.items ?? []),
        snapshot: { items: data.items ?? [] },
        next: pageToken ? { phase: 'blocks', pageToken } : undefined,
      };
    } while (pageToken);
  },
};

/** Whiteboards are recorded as documents; their image is exported by the downloader. */
export const boardSource: Source = {
  type: 'board',
  async *read() {
    yield {};
  },
};
