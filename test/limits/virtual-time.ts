import type { ManualClock } from '../../src/limits/clock.js';

/**
 * Settles `work` on a ManualClock: whenever something sleeps on the clock, time moves on by `stepMs`;
 * otherwise (requests in flight on loopback) the loop yields to I/O. Minutes of pacing and backoff then
 * take a moment of real time, and the times the fake records are the clock's.
 */
export async function onVirtualTime<T>(clock: ManualClock, work: Promise<T>, stepMs = 50): Promise<T> {
  let settled = false;
  const watched = work.finally(() => {
    settled = true;
  });
  // Surface a rejection through `watched`, never as an unhandled one.
  watched.catch(() => undefined);
  while (!settled) {
    if (clock.pendingSleeps > 0) await clock.advance(stepMs);
    else await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return watched;
}
