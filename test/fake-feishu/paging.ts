import { ContractError } from './contract.js';

/**
 * Opaque page tokens bound to the listing that issued them: a token from one folder replayed on
 * another is a bug in the caller, and the fake says so instead of silently listing from an offset.
 */
export function pageTokenFor(scope: string, offset: number): string {
  return Buffer.from(`${scope}|${offset}`).toString('base64url');
}

/** The offset a page token stands for; 0 when absent. Throws ContractError when it is not ours. */
export function offsetOf(scope: string, token: string | null): number {
  if (token === null || token === '') return 0;
  const decoded = Buffer.from(token, 'base64url').toString();
  const bar = decoded.lastIndexOf('|');
  const offset = Number(decoded.slice(bar + 1));
  if (bar < 0 || decoded.slice(0, bar) !== scope || !Number.isInteger(offset) || offset < 0) {
    throw new ContractError(`page_token ${JSON.stringify(token)} was not issued for this listing`);
  }
  return offset;
}

/** Reads `page_size`: absent -> the documented default; not an integer in [1, max] -> ContractError. */
export function pageSizeOf(query: URLSearchParams, max: number, fallback: number): number {
  const raw = query.get('page_size');
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new ContractError(`page_size must be an integer in [1, ${max}], got ${JSON.stringify(raw)}`);
  }
  return n;
}

/** Fails on query parameters the endpoint does not document (a typo like `pageToken` would be ignored by Feishu and loop forever). */
export function allowParams(query: URLSearchParams, allowed: readonly string[]): void {
  for (const key of query.keys()) {
    if (!allowed.includes(key)) throw new ContractError(`unknown query parameter ${JSON.stringify(key)}`);
  }
}

export interface Page<T> {
  items: T[];
  hasMore: boolean;
  pageToken: string | undefined;
}

export function paginate<T>(all: readonly T[], scope: string, offset: number, size: number): Page<T> {
  const items = all.slice(offset, offset + size);
  const next = offset + items.length;
  const hasMore = next < all.length;
  return { items, hasMore, pageToken: hasMore ? pageTokenFor(scope, next) : undefined };
}
