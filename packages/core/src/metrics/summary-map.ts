import { formatValue, labelPrefixes, renderSummaryChunks } from './exposition/format.js';
import { grown, LabelSlots, labelRecord } from './label-slots.js';
import type { SeriesView } from './series.js';
import { QuantileWindow } from './quantile-window.js';
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
 * The series of one summary family: per label set, a sliding quantile window (exact while it
 * holds few observations, t-digests past that) and its sum and count (kept in typed arrays). Cycles work as {@link LabelSlots} describes.
 */
export class SummaryMap {
  readonly #slots: LabelSlots;
  readonly #pairs: readonly string[];
  readonly quantiles: readonly number[];
  readonly #maxAgeSeconds: number | undefined;
  readonly #ageBuckets: number;
  #windows: (QuantileWindow | undefined)[] = [];
  #sums = new Float64Array(0);
  #counts = new Float64Array(0);

  constructor(
    readonly name: string,
    readonly labelNames: readonly string[],
    options: SummaryMapOptions = {},
  ) {
    this.quantiles = options.quantiles ?? DEFAULT_QUANTILES;
    this.#maxAgeSeconds = options.maxAgeSeconds;
    this.#ageBuckets = options.ageBuckets ?? DEFAULT_AGE_BUCKETS;
    this.#pairs = labelPrefixes(labelNames);
    this.#slots = new LabelSlots({
      grow: (capacity) => {
        this.#sums = grown(this.#sums, capacity);
        this.#counts = grown(this.#counts, capacity);
      },
      clear: (slot) => {
        const window = this.#windows[slot];
        if (window === undefined) this.#windows[slot] = new QuantileWindow(this.#maxAgeSeconds, this.#ageBuckets);
        else window.reset();
        this.#sums[slot] = 0;
        this.#counts[slot] = 0;
      },
      release: (slot) => {
        this.#windows[slot] = undefined;
      },
    });
  }

  /** Samples (lines) the current cycle renders: quantiles, sum and count per label set. */
  get size(): number {
    return this.#slots.live * (this.quantiles.length + 2);
  }

  /** Starts a new cycle: every label set is gone until observed again. */
  reset(): void {
    this.#slots.reset();
  }

  /** Records `value` in the label set `labelValues` (in declared label order). */
  observe(labelValues: readonly string[], value: number): void {
    const slot = this.#slots.slot(labelValues);
    (this.#windows[slot] as QuantileWindow).push(value);
    this.#sums[slot] = (this.#sums[slot] as number) + value;
    (this.#counts[slot] as number)++;
  }

  /** Makes the label set exist in this cycle (at zero when new) without observing anything. */
  touch(labelValues: readonly string[]): void {
    this.#slots.slot(labelValues);
  }

  /** The current cycle's label sets, to render before the next cycle begins. */
  view(): SeriesView {
    const epoch = this.#slots.epoch;
    return {
      size: this.size,
      samples: () => this.#samplesOf(epoch),
      chunks: (constLabels) => renderSummaryChunks(this.name, this.#pairs, constLabels, this.quantiles, this.#cursors(epoch)),
    };
  }

  /** Slots of `epoch`, as one reused cursor. */
  *#cursors(epoch: number): Generator<{ labelValues: readonly string[]; quantileValues: Float64Array; sum: number; count: number }> {
    const cursor = { labelValues: [] as readonly string[], quantileValues: new Float64Array(this.quantiles.length), sum: 0, count: 0 };
    for (const slot of this.#slots.slotsOf(epoch)) {
      (this.#windows[slot] as QuantileWindow).quantilesInto(this.quantiles, cursor.quantileValues);
      cursor.labelValues = this.#slots.labelsOf(slot);
      cursor.sum = this.#sums[slot] as number;
      cursor.count = this.#counts[slot] as number;
      yield cursor;
    }
  }

  #samplesOf(epoch: number): Sample[] {
    const out: Sample[] = [];
    for (const s of this.#cursors(epoch)) {
      const labels = labelRecord(this.labelNames, s.labelValues);
      this.quantiles.forEach((q, i) => {
        out.push({ name: this.name, labels: { ...labels, quantile: formatValue(q) }, value: s.quantileValues[i] as number });
      });
      out.push({ name: `${this.name}_sum`, labels, value: s.sum });
      out.push({ name: `${this.name}_count`, labels, value: s.count });
    }
    return out;
  }
}
