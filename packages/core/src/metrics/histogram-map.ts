import { formatValue, HistogramNames, histogramLines } from './exposition/format.js';
import { grown, type Values } from './label-slots.js';
import { SlotFamily } from './slot-family.js';
import type { Sample } from './types.js';

/** Prometheus' default buckets (upper bounds, seconds). */
export const DEFAULT_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The series of one histogram family in arrays of numbers: per label set, a slot holding its bucket
 * counts (per bucket, `+Inf` last; made cumulative when rendered) and its sum. Observing is a map
 * lookup and a bucket search; no object is made per observation, and a 100,000-label-set family
 * is a handful of arrays for the garbage collector, not 100,000 objects. Cycles work as
 * {@link LabelSlots} describes.
 */
export class HistogramMap extends SlotFamily {
  /** Buckets per slot: one per bound, plus `+Inf`. */
  readonly #width: number;
  readonly #names: HistogramNames;
  /** The upper bounds (without `+Inf`), shared with every histogram of this name declared with the same. */
  readonly upperBounds: readonly number[];
  #counts: Values = [];
  #sums: Values = [];

  constructor(name: string, labelNames: readonly string[], upperBounds: readonly number[] = DEFAULT_BUCKETS) {
    // Lines per label set: the buckets, sum and count.
    super(name, labelNames, upperBounds.length + 3);
    this.#width = upperBounds.length + 1;
    this.#names = HistogramNames.of(name, upperBounds);
    this.upperBounds = this.#names.bounds;
  }

  grow(capacity: number): void {
    this.#counts = grown(this.#counts, capacity, this.#width);
    this.#sums = grown(this.#sums, capacity);
  }

  clear(slot: number): void {
    this.#counts.fill(0, slot * this.#width, (slot + 1) * this.#width);
    this.#sums[slot] = 0;
  }

  /** Counts `value` in the label set `labelValues` (in declared label order). */
  observe(labelValues: readonly string[], value: number): void {
    const slot = this.slots.slot(labelValues);
    const bounds = this.upperBounds;
    let bucket = 0;
    // NaN is above no bound and below none: it lands in +Inf only, as client_golang counts it.
    while (bucket < bounds.length && !(value <= (bounds[bucket] as number))) bucket++;
    (this.#counts[slot * this.#width + bucket] as number)++;
    this.#sums[slot] = (this.#sums[slot] as number) + value;
  }

  protected linesAt(slot: number, open: string): string {
    return histogramLines(this.#names, open, this.#counts, slot * this.#width, this.#sums[slot] as number);
  }

  protected samplesAt(slot: number, labels: Record<string, string>, out: Sample[]): void {
    const offset = slot * this.#width;
    let cumulative = 0;
    for (let i = 0; i < this.#width; i++) {
      cumulative += this.#counts[offset + i] as number;
      const le = i < this.upperBounds.length ? formatValue(this.upperBounds[i] as number) : '+Inf';
      out.push({ name: this.#names.bucket, labels: { ...labels, le }, value: cumulative });
    }
    out.push({ name: this.#names.sum, labels, value: this.#sums[slot] as number });
    out.push({ name: this.#names.count, labels, value: cumulative });
  }
}
