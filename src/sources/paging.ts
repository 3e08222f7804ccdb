import { FeishuError } from '../feishu/errors.js';

/**
 * Guards a paged listing against a server that never ends it: a page token seen before, or
 * `has_more` without a token, is a protocol error rather than an endless crawl.
 */
export class PageGuard {
  readonly #seen = new Set<string>();

  constructor(readonly operation: string) {}

  /** The token for the next page, undefined when the listing is complete. */
  next(hasMore: boolean | undefined, token: string | undefined): string | undefined {
    if (!hasMore) return undefined;
    if (!token) {
      throw new FeishuError(this.operation, {
        msg: 'has_more is true but no page token came with it',
        kind: 'protocol',
      });
    }
    if (this.#seen.has(token)) {
      throw new FeishuError(this.operation, {
        msg: `page token ${token} was returned twice`,
        kind: 'protocol',
      });
    }
    this.#seen.add(token);
    return token;
  }

  /** Remembers a token resumed from a checkpoint, so a loop back to it is caught too. */
  resume(token: string | undefined): void {
    if (token) this.#seen.add(token);
  }
}
