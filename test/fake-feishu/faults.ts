import type { FakeRequest, RouteName } from './contract.js';
import { Rng } from './rng.js';

/** What goes wrong. JSON faults replace the answer; body faults damage the bytes of a download. */
export type Fault =
  /** A Feishu-shaped JSON error: 500/502/503, or any status and code. */
  | { kind: 'error'; status: number; code?: number; msg?: string; headers?: Record<string, string> }
  /** The route's documented rate-limit answer (429, or 400 for docx), whatever the counters say. */
  | { kind: 'rate-limit'; resetSeconds?: number }
  /** The connection is destroyed after `afterBytes` bytes of the body. */
  | { kind: 'reset'; afterBytes: number }
  /** The server ignores `Range` and answers 200 with the whole body. */
  | { kind: 'ignore-range' }
  /** Status 200 with a JSON error envelope where bytes were expected. */
  | { kind: 'json-200'; code?: number; msg?: string }
  /** `Content-Length: declared`; sends min(declared, real) bytes, then closes the connection. */
  | { kind: 'lying-length'; declared: number }
  /** The body trickles at `bytesPerSecond` (on the fake's clock). */
  | { kind: 'slow'; bytesPerSecond: number }
  /** Status 200, content-type JSON, a truncated body. */
  | { kind: 'malformed-json' };

export interface FaultSpec {
  route: RouteName;
  fault: Fault;
  /** Fires at most this many times. @default 1, or unbounded when `every` or `probability` is set */
  times?: number;
  /** Fires on every Nth matching request (N, 2N, ...). */
  every?: number;
  /** Fires with this probability per matching request, from an RNG seeded by the tenant's seed. */
  probability?: number;
  /** Only requests for which this returns true are considered. */
  match?: (req: FakeRequest) => boolean;
  /**
   * A fault that may legitimately never fire (a guard against a request the client should not make).
   * Without it, `close()` fails the test when the fault never fired: a test whose fault missed its
   * request proves nothing. @default false
   */
  optional?: boolean;
}

export interface ArmedFault {
  readonly spec: FaultSpec;
  /** How many requests it damaged. */
  hits: number;
  /** How many matching requests it saw. */
  seen: number;
}

/** The switchboard tests use to break things, deterministically and boundedly. */
export class FaultRegistry {
  readonly #armed: ArmedFault[] = [];
  readonly #rng: Rng;

  constructor(seed: number) {
    this.#rng = new Rng(seed ^ 0x5eed);
  }

  inject(spec: FaultSpec): ArmedFault {
    if (spec.times !== undefined && !(Number.isInteger(spec.times) && spec.times >= 1)) {
      throw new TypeError(`Expected \`times\` to be an integer >= 1, got ${spec.times}`);
    }
    if (spec.every !== undefined && !(Number.isInteger(spec.every) && spec.every >= 1)) {
      throw new TypeError(`Expected \`every\` to be an integer >= 1, got ${spec.every}`);
    }
    if (spec.probability !== undefined && !(spec.probability >= 0 && spec.probability <= 1)) {
      throw new TypeError(`Expected \`probability\` to be in [0, 1], got ${spec.probability}`);
    }
    const armed: ArmedFault = { spec, hits: 0, seen: 0 };
    this.#armed.push(armed);
    return armed;
  }

  /** Removes every fault. */
  clear(): void {
    this.#armed.length = 0;
  }

  /** Faults that still have shots left (a `times` fault a test expected to fire but never did). */
  pending(): ArmedFault[] {
    return this.#armed.filter((a) => a.hits < limitOf(a.spec));
  }

  /** Faults armed without `optional` that never fired: scripted failures the client never met. */
  unused(): ArmedFault[] {
    return this.#armed.filter((a) => a.hits === 0 && !a.spec.optional);
  }

  /** The fault to apply to this request, if any; counts it. */
  take(req: FakeRequest): Fault | undefined {
    for (const armed of this.#armed) {
      const { spec } = armed;
      if (spec.route !== req.route || armed.hits >= limitOf(spec)) continue;
      if (spec.match && !spec.match(req)) continue;
      armed.seen += 1;
      if (spec.every !== undefined && armed.seen % spec.every !== 0) continue;
      if (spec.probability !== undefined && !(this.#rng.next() < spec.probability)) continue;
      armed.hits += 1;
      return spec.fault;
    }
    return undefined;
  }
}

function limitOf(spec: FaultSpec): number {
  if (spec.times !== undefined) return spec.times;
  return spec.every !== undefined || spec.probability !== undefined ? Number.POSITIVE_INFINITY : 1;
}
