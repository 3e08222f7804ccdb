import type { MediaQueue, MediaRow } from '../inventory/media-queue.js';
import type { SlidingWindowLimiter } from '../limits/sliding-window.js';
import type { Lane } from './run-context.js';

/**
 * Who is waiting for one lane's next start: the files of the lane that asked its limiter for a slot and
 * do not have it yet, and the files the scheduler handed out that have not asked yet. While one is
 * waiting, the lane is served: another file of it would only wait behind the first, holding a worker
 * that another lane could use now. (With one waiter a lane still starts at its full pace: the moment
 * the waiter gets its slot, the lane is free and a worker brings the next file, which then waits for
 * the slot after.)
 */
export class StartGate {
  #limiter: SlidingWindowLimiter;
  #waiting = 0;
  /** Rows handed out by the scheduler whose first request has not asked for a slot yet. */
  readonly #reserved = new Set<number>();
  /** Called whenever the lane may have become free (set by the scheduler). */
  onChange: () => void = () => undefined;

  constructor(limiter: SlidingWindowLimiter) {
    this.#limiter = limiter;
  }

  /** Starts from now on go through `limiter` (media switching to temporary URLs: lanes.ts). */
  use(limiter: SlidingWindowLimiter): void {
    this.#limiter = limiter;
  }

  /** No file of the lane is waiting for a start. */
  get free(): boolean {
    return this.#waiting === 0;
  }

  /** The scheduler handed out `id`: the lane counts as waiting until its request asks for its slot. */
  reserve(id: number): void {
    if (this.#reserved.has(id)) return;
    this.#reserved.add(id);
    this.#waiting++;
  }

  /** The file `id` ended without asking (or asked already): its reservation, if any, is given back. */
  release(id: number): void {
    if (!this.#reserved.delete(id)) return;
    this.#waiting--;
    this.onChange();
  }

  /** Waits for the lane's next start under its limiter (resolves with its time); the file counts as waiting meanwhile. */
  async acquire(id: number, signal: AbortSignal): Promise<number> {
    if (!this.#reserved.delete(id)) this.#waiting++;
    try {
      return await this.#limiter.acquire(signal);
    } finally {
      this.#waiting--;
      this.onChange();
    }
  }
}

/** One lane and the queue of its files (`media.source`), in the documented order. */
export interface LaneWork {
  lane: Lane;
  queue: MediaQueue;
}

/** A lane's files sent back by `later`, served before its queue (they were ahead of it anyway). */
interface LaneState extends LaneWork {
  again: MediaRow[];
}

/**
 * Hands each worker the next file of a lane that can start now, so that no file waits for another
 * endpoint's pace or daily counter. Within a lane the order is its queue's (partial first, untried
 * before failed, small first). Lanes take turns when more than one is free. A worker finding every lane
 * with work served waits until one is free again (its waiter got its slot, or gave up) and never
 * longer: the total in flight stays the worker count, `--concurrency`.
 */
export class LaneScheduler {
  readonly #work: readonly LaneState[];
  readonly #stopped: () => boolean;
  #turn = 0;
  #sleepers: (() => void)[] = [];

  constructor(work: readonly LaneWork[], stopped: () => boolean) {
    this.#work = work.map((w) => ({ ...w, again: [] }));
    this.#stopped = stopped;
    for (const w of work) w.lane.gate.onChange = () => this.wake();
  }

  /** Whether some lane that may still start files has a file left. */
  hasMore(): boolean {
    return this.#work.some((w) => open(w.lane) && (w.again.length > 0 || w.queue.hasMore()));
  }

  /**
   * The next file to start and its lane, reserved on the lane's gate (give it back with `done`), or
   * undefined once no lane that may still start has a file left, the run is stopping, or `admit` says
   * no. `admit` is asked right before a file is handed out, in the same tick (a budget counts there).
   */
  async next(admit: () => boolean = () => true): Promise<{ row: MediaRow; lane: Lane } | undefined> {
    for (;;) {
      if (this.#stopped()) return undefined;
      let work = false;
      for (let i = 0; i < this.#work.length; i++) {
        const at = (this.#turn + i) % this.#work.length;
        const { lane, queue, again } = this.#work[at]!;
        // A spent or closed lane's rows stay pending for the next run; the other lanes carry on.
        if (!open(lane) || (again.length === 0 && !queue.hasMore())) continue;
        work = true;
        if (!lane.gate.free) continue;
        if (!admit()) return undefined;
        const row = again.shift() ?? queue.next()!;
        lane.gate.reserve(row.id);
        this.#turn = (at + 1) % this.#work.length;
        return { row, lane };
      }
      if (!work) return undefined;
      await new Promise<void>((resolve) => this.#sleepers.push(resolve));
    }
  }

  /**
   * A file handed out by `next` is finished with: a reservation it never used is given back, and a
   * file sent back (`later`) goes to the front of its lane's queue.
   */
  done(row: MediaRow, lane: Lane, later = false): void {
    if (later) this.#work.find((w) => w.lane === lane)?.again.push(row);
    lane.gate.release(row.id);
    this.wake();
  }

  /** Lets every waiting worker look again (a lane freed, spent or closed; the run stopping). */
  wake(): void {
    const sleepers = this.#sleepers;
    this.#sleepers = [];
    for (const s of sleepers) s();
  }
}

function open(lane: Lane): boolean {
  return !lane.spent && !lane.closed;
}
