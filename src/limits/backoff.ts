export interface BackoffOptions {
  /** @default 500 */
  baseMs?: number;
  /** @default 30000 */
  maxMs?: number;
  /** Source of randomness in [0, 1); tests pass a constant. @default Math.random */
  random?: () => number;
}

/**
 * Delay before retry number `attempt` (1-based): exponential with "full jitter" in its upper half, so
 * workers that failed together do not retry together. A server reset hint always wins when longer.
 */
export function calculateRetryDelay(
  attempt: number,
  resetHintMs?: number,
  options: BackoffOptions = {},
): number {
  const base = options.baseMs ?? 500;
  const max = options.maxMs ?? 30_000;
  const random = options.random ?? Math.random;
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  const jittered = ceiling / 2 + random() * (ceiling / 2);
  return Math.max(Math.round(jittered), resetHintMs ?? 0);
}
