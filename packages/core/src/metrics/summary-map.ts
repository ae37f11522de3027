import { formatValue, renderSummaryChunks } from './exposition/format.js';
import { grown, type Values } from './label-slots.js';
import { QuantileWindow } from './quantile-window.js';
import { SlotFamily } from './slot-family.js';
import type { Sample } from './types.js';

/** Quantiles a summary reports unless told otherwise. */
export const DEFAULT_QUANTILES: readonly number[] = [0.5, 0.9, 0.99];
/** Digests per sliding window unless told otherwise (client_golang's default). */
export const DEFAULT_AGE_BUCKETS = 5;

/** Options of a {@link SummaryMap}. */
export interface SummaryMapOptions {
  readonly quantiles?: readonly number[];
  readonly maxAgeSeconds?: number;
  readonly ageBuckets?: number;
}

interface QuantileCursor {
  labelValues: readonly string[];
  quantileValues: Float64Array;
  sum: number;
  count: number;
}

/**
 * The series of one summary family: per label set, a sliding quantile window (exact while it
 * holds few observations, t-digests past that) and its sum and count (kept in arrays of numbers). Cycles work as {@link LabelSlots} describes.
 */
export class SummaryMap extends SlotFamily<QuantileCursor> {
  readonly quantiles: readonly number[];
  readonly #maxAgeSeconds: number | undefined;
  readonly #ageBuckets: number;
  #windows: (QuantileWindow | undefined)[] = [];
  #sums: Values = [];
  #counts: Values = [];

  constructor(name: string, labelNames: readonly string[], options: SummaryMapOptions = {}) {
    const quantiles = options.quantiles ?? DEFAULT_QUANTILES;
    // Lines per label set: the quantiles, sum and count.
    super(name, labelNames, quantiles.length + 2);
    this.quantiles = quantiles;
    this.#maxAgeSeconds = options.maxAgeSeconds;
    this.#ageBuckets = options.ageBuckets ?? DEFAULT_AGE_BUCKETS;
  }

  grow(capacity: number): void {
    this.#sums = grown(this.#sums, capacity);
    this.#counts = grown(this.#counts, capacity);
  }

  clear(slot: number): void {
    const window = this.#windows[slot];
    if (window === undefined) this.#windows[slot] = new QuantileWindow(this.#maxAgeSeconds, this.#ageBuckets);
    else window.reset();
    this.#sums[slot] = 0;
    this.#counts[slot] = 0;
  }

  release(slot: number): void {
    this.#windows[slot] = undefined;
  }

  /** Records `value` in the label set `labelValues` (in declared label order). */
  observe(labelValues: readonly string[], value: number): void {
    const slot = this.slots.slot(labelValues);
    (this.#windows[slot] as QuantileWindow).push(value);
    this.#sums[slot] = (this.#sums[slot] as number) + value;
    (this.#counts[slot] as number)++;
  }

  protected cursor(): QuantileCursor {
    return { labelValues: [], quantileValues: new Float64Array(this.quantiles.length), sum: 0, count: 0 };
  }

  protected fill(cursor: QuantileCursor, slot: number): void {
    (this.#windows[slot] as QuantileWindow).quantilesInto(this.quantiles, cursor.quantileValues);
    cursor.sum = this.#sums[slot] as number;
    cursor.count = this.#counts[slot] as number;
  }

  protected render(constLabels: string, cursors: Iterable<QuantileCursor>): Generator<string> {
    return renderSummaryChunks(this.name, this.pairs, constLabels, this.quantiles, cursors);
  }

  protected samplesAt(s: QuantileCursor, labels: Record<string, string>, out: Sample[]): void {
    this.quantiles.forEach((q, i) => {
      out.push({ name: this.name, labels: { ...labels, quantile: formatValue(q) }, value: s.quantileValues[i] as number });
    });
    out.push({ name: `${this.name}_sum`, labels, value: s.sum });
    out.push({ name: `${this.name}_count`, labels, value: s.count });
  }
}
