import PQueue from 'p-queue';
import type { Target } from '../sources/types.js';
import { type Job, keyOf } from './visits.js';

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
}

/**
 * The crawl's work queue: the jobs still to take, how many are done, and what stopped the run.
 * Whole reads run several at a time; reads limited to one sheet or table wait for `drain`.
 */
export class Scheduler {
  readonly #queue: PQueue;
  /** Reads limited to one sheet or table (roots with `sheetId`/`tableId`): see `drain`. */
  readonly #scoped: Job[] = [];
  readonly #options: SchedulerOptions;
  #fatal: unknown;
  #done = 0;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#queue = new PQueue({ concurrency: options.concurrency });
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
    return this.#queue.size + this.#queue.pending + this.#scoped.length;
  }

  /** Queues whole reads at once; keeps reads limited to one sheet or table for `drain`. */
  add(jobs: readonly (Job | undefined)[]): void {
    for (const job of jobs) {
      if (!job || this.#fatal || this.#options.signal?.aborted) continue;
      if (job.target.scope !== undefined) this.#scoped.push(job);
      else this.#queue.add(() => this.#take(job)).catch(() => undefined);
    }
  }

  /** Stops the run: the first fatal error is the one thrown, and nothing queued starts. */
  halt(error: unknown): void {
    this.#fatal ??= error;
    this.#queue.clear();
  }

  /**
   * Waits for every whole read, then takes the scoped reads: a document another root (a folder, a
   * document embedding it) reaches whole is read whole, which answers them, and they are dropped. The
   * others run one document at a time, as their passes share the document's checkpoint.
   */
  async drain(): Promise<void> {
    const queue = this.#queue;
    const scoped = this.#scoped;
    await queue.onIdle();
    while (scoped.length > 0 && !this.#fatal && !this.#options.signal?.aborted) {
      const byDocument = new Map<string, Job[]>();
      for (const job of scoped.splice(0)) {
        if (this.#options.metWhole(job.target)) continue;
        const key = keyOf(job.target);
        byDocument.set(key, [...(byDocument.get(key) ?? []), job]);
      }
      for (const jobs of byDocument.values()) {
        queue
          .add(async () => {
            for (const job of jobs) await this.#take(job);
          })
          .catch(() => undefined);
      }
      await queue.onIdle();
    }
  }

  async #take(job: Job): Promise<void> {
    if (this.#fatal || this.#options.signal?.aborted) return;
    try {
      await this.#options.take(job);
    } finally {
      this.#done++;
      this.#options.afterJob();
    }
  }
}
