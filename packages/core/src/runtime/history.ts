import type { FailureReason } from './health.js';

/** One finished cycle of an instance, as the status page shows it (no error text: it may hold secrets). */
export interface CycleRecord {
  /** Unix milliseconds of the cycle's start. */
  readonly startedAt: number;
  /** Seconds the cycle took. */
  readonly durationSeconds: number;
  readonly result: 'success' | 'failure';
  /** Why it failed; absent on success. */
  readonly reason?: FailureReason;
}

/** Cycles kept per instance unless told otherwise. */
export const HISTORY_SIZE = 30;

/**
 * The last cycles of one instance, oldest first: a ring buffer that grows to its capacity as
 * cycles are recorded, then stays there, so memory stays bounded however long muster runs.
 */
export class CycleHistory {
  readonly capacity: number;
  /** Allocated at the first record, then grown up to {@link capacity}: an idle instance holds none. */
  readonly #ring: CycleRecord[] = [];
  #next = 0;
  #size = 0;

  constructor(capacity: number = HISTORY_SIZE) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`history capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
  }

  /** Cycles recorded so far, at most {@link capacity}. */
  get size(): number {
    return this.#size;
  }

  /** Adds a cycle, dropping the oldest when full. */
  record(entry: CycleRecord): void {
    const { startedAt, durationSeconds, result, reason } = entry;
    this.#ring[this.#next] = result === 'failure' && reason !== undefined ? { startedAt, durationSeconds, result, reason } : { startedAt, durationSeconds, result };
    this.#next = (this.#next + 1) % this.capacity;
    this.#size = Math.min(this.#size + 1, this.capacity);
  }

  /** The recorded cycles, oldest first. */
  entries(): CycleRecord[] {
    const out: CycleRecord[] = [];
    const start = (this.#next - this.#size + this.capacity) % this.capacity;
    for (let i = 0; i < this.#size; i++) {
      const entry = this.#ring[(start + i) % this.capacity];
      if (entry !== undefined) out.push(entry);
    }
    return out;
  }
}
