import { formatValue, SummaryNames, summaryLines } from './exposition/format.js';
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

/** What reading one quantile costs, in rendered lines: summaries render fewer label sets a chunk. */
const QUANTILE_COST_LINES = 10;

/**
 * The series of one summary family: per label set, a sliding quantile window (exact while it
 * holds few observations, t-digests past that) and its sum and count (kept in arrays of numbers). Cycles work as {@link LabelSlots} describes.
 */
export class SummaryMap extends SlotFamily {
  readonly quantiles: readonly number[];
  readonly #maxAgeSeconds: number | undefined;
  readonly #ageBuckets: number;
  readonly #names: SummaryNames;
  /** The quantiles of the slot being rendered (one array, reused). */
  readonly #estimates: Float64Array;
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
    this.#names = new SummaryNames(name, quantiles);
    this.#estimates = new Float64Array(quantiles.length);
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

  /** Reading a quantile from a digest costs about as much as rendering ten lines. */
  override get slotCost(): number {
    return this.quantiles.length * QUANTILE_COST_LINES + 2;
  }

  protected linesAt(slot: number, open: string): string {
    return summaryLines(this.#names, open, this.#estimatesAt(slot), this.#sums[slot] as number, this.#counts[slot] as number);
  }

  protected samplesAt(slot: number, labels: Record<string, string>, out: Sample[]): void {
    const estimates = this.#estimatesAt(slot);
    this.quantiles.forEach((q, i) => {
      out.push({ name: this.name, labels: { ...labels, quantile: formatValue(q) }, value: estimates[i] as number });
    });
    out.push({ name: this.#names.sum, labels, value: this.#sums[slot] as number });
    out.push({ name: this.#names.count, labels, value: this.#counts[slot] as number });
  }

  /** The quantiles of `slot`, in the reused array. */
  #estimatesAt(slot: number): Float64Array {
    (this.#windows[slot] as QuantileWindow).quantilesInto(this.quantiles, this.#estimates);
    return this.#estimates;
  }
}
