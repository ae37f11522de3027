import { SlidingQuantiles } from './sliding-quantiles.js';

/**
 * Observations one label set keeps as they are before its window turns into t-digests. Most
 * summaries see a few observations per label set and cycle: kept raw, they cost 8–16 bytes each
 * and give exact quantiles, where five t-digests per label set would cost kilobytes of small
 * objects for the garbage collector to walk.
 */
export const EXACT_LIMIT = 256;

/** Scratch space for sorting a window's values (one window is read at a time). */
const scratch = new Float64Array(EXACT_LIMIT);

/**
 * The quantile window of one summary label set. Up to {@link EXACT_LIMIT} observations inside
 * the window are kept raw (with their time when the window slides) and quantiles are exact
 * (nearest rank); past that the window becomes a {@link SlidingQuantiles} (t-digests rotated as
 * client_golang rotates its age buckets) and stays one. Without `maxAgeSeconds` every
 * observation counts.
 */
export class QuantileWindow {
  /** Raw observations in arrival order: `[time, value]` pairs when the window slides, values otherwise. */
  #raw: number[] | undefined;
  #length = 0;
  #digests: SlidingQuantiles | undefined;

  constructor(
    readonly maxAgeSeconds: number | undefined,
    readonly ageBuckets: number,
    readonly now: () => number = Date.now,
  ) {}

  get #stride(): number {
    return this.maxAgeSeconds !== undefined && this.maxAgeSeconds > 0 ? 2 : 1;
  }

  /** Adds one observation; NaN has no rank and is left out (the summary's sum and count keep it). */
  push(value: number): void {
    if (Number.isNaN(value)) return;
    if (this.#digests !== undefined) {
      this.#digests.push(value);
      return;
    }
    this.#expire();
    if (this.#length === EXACT_LIMIT) {
      this.#promote().push(value);
      return;
    }
    // A plain array of doubles: allocating and growing one costs far less than a typed array.
    if (this.#raw === undefined) this.#raw = [];
    const raw = this.#raw;
    if (this.#stride === 2) raw.push(this.now(), value);
    else raw.push(value);
    this.#length++;
  }

  /** Writes the `qs[i]`-quantile of the observations in the window to `out[i]`; NaN when there are none. */
  quantilesInto(qs: readonly number[], out: Float64Array): void {
    if (this.#digests !== undefined) {
      for (let i = 0; i < qs.length; i++) out[i] = this.#digests.quantile(qs[i] as number);
      return;
    }
    this.#expire();
    const n = this.#length;
    if (n === 0) {
      out.fill(Number.NaN, 0, qs.length);
      return;
    }
    const stride = this.#stride;
    const raw = this.#raw as number[];
    for (let i = 0; i < n; i++) scratch[i] = raw[i * stride + stride - 1] as number;
    const sorted = scratch.subarray(0, n).sort();
    for (let i = 0; i < qs.length; i++) {
      const rank = Math.ceil((qs[i] as number) * n) - 1;
      out[i] = sorted[Math.min(n - 1, Math.max(0, rank))] as number;
    }
  }

  /** Forgets every observation (and the t-digests, if it had grown into them). */
  reset(): void {
    this.#raw = undefined;
    this.#length = 0;
    this.#digests = undefined;
  }

  /** Drops raw observations older than the window (times only grow, so they lead the array). */
  #expire(): void {
    if (this.#stride !== 2 || this.#length === 0) return;
    const raw = this.#raw as number[];
    const cutoff = this.now() - (this.maxAgeSeconds as number) * 1000;
    let old = 0;
    while (old < this.#length && (raw[old * 2] as number) <= cutoff) old++;
    if (old === 0) return;
    raw.splice(0, old * 2);
    this.#length -= old;
  }

  /**
   * Moves the raw observations into t-digests, from now on the window's only form. They enter
   * every age bucket as new ones, so they may stay up to one window longer than they would raw.
   */
  #promote(): SlidingQuantiles {
    const digests = new SlidingQuantiles(this.maxAgeSeconds, this.ageBuckets, this.now);
    const stride = this.#stride;
    const raw = this.#raw as number[];
    for (let i = 0; i < this.#length; i++) digests.push(raw[i * stride + stride - 1] as number);
    this.#raw = undefined;
    this.#length = 0;
    this.#digests = digests;
    return digests;
  }
}
