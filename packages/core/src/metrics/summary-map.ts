import { formatValue, labelPrefixes, renderSummaryChunks } from './exposition/format.js';
import type { SeriesView } from './series.js';
import { SlidingQuantiles } from './sliding-quantiles.js';
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

/**
 * The series of one summary family: per label set, a sliding-window quantile estimator and its
 * sum and count (kept in typed arrays). Cycles work as in {@link SeriesMap}: {@link reset}
 * starts one, label sets observed again are reused, the others are swept when rendered.
 */
export class SummaryMap {
  readonly #index = new Map<string, number>();
  readonly #pairs: readonly string[];
  readonly quantiles: readonly number[];
  readonly #maxAgeSeconds: number | undefined;
  readonly #ageBuckets: number;
  #labels: (readonly string[] | undefined)[] = [];
  #windows: (SlidingQuantiles | undefined)[] = [];
  #epochs = new Float64Array(16).fill(-1);
  #sums = new Float64Array(16);
  #counts = new Float64Array(16);
  #free: number[] = [];
  #used = 0;
  #epoch = 0;
  #live = 0;

  constructor(
    readonly name: string,
    readonly labelNames: readonly string[],
    options: SummaryMapOptions = {},
  ) {
    this.quantiles = options.quantiles ?? DEFAULT_QUANTILES;
    this.#maxAgeSeconds = options.maxAgeSeconds;
    this.#ageBuckets = options.ageBuckets ?? DEFAULT_AGE_BUCKETS;
    this.#pairs = labelPrefixes(labelNames);
  }

  /** Samples (lines) the current cycle renders: quantiles, sum and count per label set. */
  get size(): number {
    return this.#live * (this.quantiles.length + 2);
  }

  /** Starts a new cycle: every label set is gone until observed again. */
  reset(): void {
    this.#epoch++;
    this.#live = 0;
  }

  /** Records `value` in the label set `labelValues` (in declared label order). */
  observe(labelValues: readonly string[], value: number): void {
    const slot = this.#slot(labelValues);
    (this.#windows[slot] as SlidingQuantiles).push(value);
    this.#sums[slot] = (this.#sums[slot] as number) + value;
    (this.#counts[slot] as number)++;
  }

  /** Makes the label set exist in this cycle (at zero when new) without observing anything. */
  touch(labelValues: readonly string[]): void {
    this.#slot(labelValues);
  }

  /** The current cycle's label sets, to render before the next cycle begins. */
  view(): SeriesView {
    const epoch = this.#epoch;
    return {
      size: this.size,
      samples: () => this.#samplesOf(epoch),
      chunks: (constLabels) => renderSummaryChunks(this.name, this.#pairs, constLabels, this.quantiles, this.#cursors(epoch)),
    };
  }

  #slot(labelValues: readonly string[]): number {
    const key = labelValues.length === 1 ? (labelValues[0] as string) : labelValues.join('\u0000');
    let slot = this.#index.get(key);
    if (slot === undefined) {
      slot = this.#free.pop() ?? this.#grow();
      this.#index.set(key, slot);
      this.#labels[slot] = labelValues;
      this.#windows[slot] = new SlidingQuantiles(this.#maxAgeSeconds, this.#ageBuckets);
    } else if (this.#epochs[slot] === this.#epoch) {
      return slot;
    } else {
      (this.#windows[slot] as SlidingQuantiles).reset();
    }
    this.#epochs[slot] = this.#epoch;
    this.#sums[slot] = 0;
    this.#counts[slot] = 0;
    this.#live++;
    return slot;
  }

  #grow(): number {
    if (this.#used === this.#epochs.length) {
      const capacity = this.#epochs.length * 2;
      const epochs = new Float64Array(capacity).fill(-1);
      epochs.set(this.#epochs);
      this.#epochs = epochs;
      const sums = new Float64Array(capacity);
      sums.set(this.#sums);
      this.#sums = sums;
      const counts = new Float64Array(capacity);
      counts.set(this.#counts);
      this.#counts = counts;
    }
    return this.#used++;
  }

  *#cursors(epoch: number): Generator<{ labelValues: readonly string[]; quantileValues: Float64Array; sum: number; count: number }> {
    const cursor = { labelValues: [] as readonly string[], quantileValues: new Float64Array(this.quantiles.length), sum: 0, count: 0 };
    for (const [key, slot] of this.#index) {
      const at = this.#epochs[slot] as number;
      if (at !== epoch) {
        if (at < epoch) {
          this.#index.delete(key);
          this.#labels[slot] = undefined;
          this.#windows[slot] = undefined;
          this.#epochs[slot] = -1;
          this.#free.push(slot);
        }
        continue;
      }
      const window = this.#windows[slot] as SlidingQuantiles;
      for (let i = 0; i < this.quantiles.length; i++) cursor.quantileValues[i] = window.quantile(this.quantiles[i] as number);
      cursor.labelValues = this.#labels[slot] as readonly string[];
      cursor.sum = this.#sums[slot] as number;
      cursor.count = this.#counts[slot] as number;
      yield cursor;
    }
  }

  #samplesOf(epoch: number): Sample[] {
    const out: Sample[] = [];
    for (const s of this.#cursors(epoch)) {
      const labels: Record<string, string> = {};
      this.labelNames.forEach((name, i) => {
        labels[name] = s.labelValues[i] as string;
      });
      this.quantiles.forEach((q, i) => {
        out.push({ name: this.name, labels: { ...labels, quantile: formatValue(q) }, value: s.quantileValues[i] as number });
      });
      out.push({ name: `${this.name}_sum`, labels, value: s.sum });
      out.push({ name: `${this.name}_count`, labels, value: s.count });
    }
    return out;
  }
}
