import { grown, type Values } from '../metrics/label-slots.js';
import { FAILURE_REASONS, type FailureReason } from './health.js';

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

/** Numbers kept per cycle: its start, its duration and its outcome ({@link outcomeOf}). */
const WIDTH = 3;
/** Cycles there is room for at the first record; the room then doubles up to the capacity. */
const INITIAL_ROOM = 2;

/** Outcome of a success. */
const SUCCESS = 0;
/** Outcome of a failure without a reason; a failure with one is {@link REASON_BASE} + its index in {@link FAILURE_REASONS}. */
const FAILURE = 1;
const REASON_BASE = 2;
/** Outcome of a failure whose reason is not one of {@link FAILURE_REASONS}: the reason is kept as given, beside. */
const OTHER_REASON = -1;

/**
 * The last cycles of one instance, oldest first: a ring buffer that grows to its capacity as
 * cycles are recorded, then stays there, so memory stays bounded however long muster runs.
 * A cycle is three numbers in one array (start, duration, outcome), not an object: a full
 * history of 30 cycles is one array of about 750 bytes where 30 records cost about 2.5 KB. The
 * records are made when read ({@link entries}: the status page, the API).
 */
export class CycleHistory {
  readonly capacity: number;
  /** Allocated at the first record, then grown up to {@link capacity}: an idle instance holds none. */
  #data: Values = [];
  /** Reasons outside the closed set, by ring position; made only if one is ever recorded. */
  #otherReasons: (string | undefined)[] | undefined;
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
    const at = this.#next;
    // Before the ring is full, cycles are appended: room is made as they come.
    if (at * WIDTH >= this.#data.length) this.#data = grown(this.#data, Math.min(this.capacity, Math.max(INITIAL_ROOM, at * 2)), WIDTH);
    let outcome = SUCCESS;
    if (result === 'failure') {
      const index = reason === undefined ? -1 : FAILURE_REASONS.indexOf(reason);
      outcome = reason === undefined ? FAILURE : index === -1 ? OTHER_REASON : REASON_BASE + index;
    }
    if (outcome === OTHER_REASON) {
      this.#otherReasons ??= [];
      this.#otherReasons[at] = reason;
    } else if (this.#otherReasons !== undefined) {
      this.#otherReasons[at] = undefined;
    }
    const data = this.#data;
    data[at * WIDTH] = startedAt;
    data[at * WIDTH + 1] = durationSeconds;
    data[at * WIDTH + 2] = outcome;
    this.#next = (at + 1) % this.capacity;
    this.#size = Math.min(this.#size + 1, this.capacity);
  }

  /** The recorded cycles, oldest first. */
  entries(): CycleRecord[] {
    const out: CycleRecord[] = [];
    const start = (this.#next - this.#size + this.capacity) % this.capacity;
    for (let i = 0; i < this.#size; i++) out.push(this.#recordAt((start + i) % this.capacity));
    return out;
  }

  #recordAt(at: number): CycleRecord {
    const data = this.#data;
    const startedAt = data[at * WIDTH] as number;
    const durationSeconds = data[at * WIDTH + 1] as number;
    const outcome = data[at * WIDTH + 2] as number;
    if (outcome === SUCCESS) return { startedAt, durationSeconds, result: 'success' };
    if (outcome === FAILURE) return { startedAt, durationSeconds, result: 'failure' };
    const reason = (outcome === OTHER_REASON ? this.#otherReasons?.[at] : FAILURE_REASONS[outcome - REASON_BASE]) as FailureReason;
    return { startedAt, durationSeconds, result: 'failure', reason };
  }
}
