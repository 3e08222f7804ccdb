import type { Target } from '../sources/types.js';
import { type Job, keyOf } from './visits.js';

/**
 * Whole reads waiting to start above which a listing waits before its next page (see `room`). A few
 * thousand keeps every worker busy (a page lists at most 200) while the tenant stays out of memory.
 */
export const BACKLOG_BOUND = 4096;

export interface SchedulerOptions {
  /** Documents read at once (`limits.crawlConcurrency`). */
  concurrency: number;
  signal: AbortSignal | undefined;
  /** Reads one document (passed in, so the scheduling does not import the reading that schedules). */
  take: (job: Job) => Promise<void>;
  /** Whether this run met the document whole: a whole read answers its scoped reads. */
  metWhole: (target: Target) => boolean;
  /** After each job taken, whatever its outcome. */
  afterJob: () => void;
  /** @default BACKLOG_BOUND */
  backlogBound?: number | undefined;
}

/** A whole read, or the scoped reads of one document taken one after the other (see `drain`). */
type Work = Job | readonly Job[];

/**
 * The crawl's work queue: the jobs still to take, how many are done, and what stopped the run.
 * Whole reads run several at a time; reads limited to one sheet or table wait for `drain`. A listing
 * asks for `room` before each page, so the jobs waiting stay near a bound however large the tenant.
 */
export class Scheduler {
  /** Work not started, first in first out; `#head` is the next to start. */
  #waiting: Work[] = [];
  #head = 0;
  /** Reads limited to one sheet or table (roots with `sheetId`/`tableId`): see `drain`. */
  readonly #scoped: Job[] = [];
  /** Listings that gave their worker slot back until the backlog falls under the bound. */
  readonly #parked: (() => void)[] = [];
  /** Listings the backlog has room for again, given the next free slot before new work. */
  readonly #resuming: (() => void)[] = [];
  readonly #idle: (() => void)[] = [];
  readonly #options: SchedulerOptions;
  readonly #bound: number;
  #running = 0;
  #maxBacklog = 0;
  #fatal: unknown;
  #done = 0;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#bound = options.backlogBound ?? BACKLOG_BOUND;
    options.signal?.addEventListener('abort', () => this.#pump(), { once: true });
  }

  /** What stops the whole run; the crawl throws it once the queue has drained. */
  get fatal(): unknown {
    return this.#fatal;
  }

  /** Jobs finished, whatever their outcome. */
  get done(): number {
    return this.#done;
  }

  /** Jobs waiting or running. */
  get queued(): number {
    return this.#backlog + this.#running + this.#parked.length + this.#resuming.length + this.#scoped.length;
  }

  /** The most whole reads ever waiting to start at once in this run, and the bound listings keep to. */
  get backlog(): { max: number; bound: number } {
    return { max: this.#maxBacklog, bound: this.#bound };
  }

  /** Queues whole reads; keeps reads limited to one sheet or table for `drain`. */
  add(jobs: readonly (Job | undefined)[]): void {
    for (const job of jobs) {
      if (!job || this.#stopped) continue;
      if (job.target.scope !== undefined) this.#scoped.push(job);
      else this.#waiting.push(job);
    }
    this.#maxBacklog = Math.max(this.#maxBacklog, this.#backlog);
    this.#pump();
  }

  /**
   * Called by a running read before it lists another page: while the backlog is at the bound, gives
   * its worker slot back (so the reads it waits on can run: holding the slots, the listings would
   * wait forever) and resolves once there is room again and it holds a slot.
   */
  async room(): Promise<void> {
    while (this.#backlog >= this.#bound && !this.#stopped) {
      this.#running--;
      await new Promise<void>((resolve) => {
        this.#parked.push(resolve);
        this.#pump();
      });
    }
  }

  /** Stops the run: the first fatal error is the one thrown, and nothing queued starts. */
  halt(error: unknown): void {
    this.#fatal ??= error;
    this.#waiting = [];
    this.#head = 0;
    this.#pump();
  }

  /**
   * Waits for every whole read, then takes the scoped reads: a document another root (a folder, a
   * document embedding it) reaches whole is read whole, which answers them, and they are dropped. The
   * others run one document at a time, as their passes share the document's checkpoint.
   */
  async drain(): Promise<void> {
    const scoped = this.#scoped;
    await this.#onIdle();
    while (scoped.length > 0 && !this.#stopped) {
      const byDocument = new Map<string, Job[]>();
      for (const job of scoped.splice(0)) {
        if (this.#options.metWhole(job.target)) continue;
        const key = keyOf(job.target);
        const jobs = byDocument.get(key);
        if (jobs) jobs.push(job);
        else byDocument.set(key, [job]);
      }
      for (const jobs of byDocument.values()) this.#waiting.push(jobs);
      this.#pump();
      await this.#onIdle();
    }
  }

  get #backlog(): number {
    return this.#waiting.length - this.#head;
  }

  get #stopped(): boolean {
    return this.#fatal !== undefined || this.#options.signal?.aborted === true;
  }

  /** Hands free slots to resumed listings first, then to work in order; wakes listings given room. */
  #pump(): void {
    for (;;) {
      if (this.#parked.length > 0 && (this.#backlog < this.#bound || this.#stopped))
        this.#resuming.push(...this.#parked.splice(0));
      if (this.#running >= this.#options.concurrency) return;
      const resume = this.#resuming.shift();
      if (resume) {
        this.#running++;
        resume();
        continue;
      }
      const work = this.#next();
      if (!work) break;
      this.#running++;
      void this.#run(work);
    }
    if (this.#running === 0 && this.#resuming.length === 0 && this.#parked.length === 0)
      for (const idle of this.#idle.splice(0)) idle();
  }

  #next(): Work | undefined {
    if (this.#head >= this.#waiting.length) return undefined;
    const work = this.#waiting[this.#head++];
    // Drop what started, now and then, so the array does not keep every job of the run.
    if (this.#head >= 1024 && this.#head * 2 >= this.#waiting.length) {
      this.#waiting = this.#waiting.slice(this.#head);
      this.#head = 0;
    }
    return work;
  }

  async #run(work: Work): Promise<void> {
    try {
      if (Array.isArray(work)) for (const job of work as readonly Job[]) await this.#take(job);
      else await this.#take(work as Job);
    } catch {
      // A job records its own failure; what stops the run is `halt`.
    } finally {
      this.#running--;
      this.#pump();
    }
  }

  #onIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.#idle.push(resolve);
      this.#pump();
    });
  }

  async #take(job: Job): Promise<void> {
    if (this.#stopped) return;
    try {
      await this.#options.take(job);
    } finally {
      this.#done++;
      this.#options.afterJob();
    }
  }
}
