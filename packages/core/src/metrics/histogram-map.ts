import { formatValue, labelPrefixes, renderHistogramChunks } from './exposition/format.js';
import { grown, LabelSlots, labelRecord } from './label-slots.js';
import type { SeriesView } from './series.js';
import type { Sample } from './types.js';

/** Prometheus' default buckets (upper bounds, seconds). */
export const DEFAULT_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The series of one histogram family in typed arrays: per label set, a slot holding its bucket
 * counts (per bucket, `+Inf` last; made cumulative when rendered) and its sum. Observing is a map
 * lookup and a bucket search; no object is made per observation, and a 100,000-label-set family
 * is a handful of arrays for the garbage collector, not 100,000 objects. Cycles work as
 * {@link LabelSlots} describes.
 */
export class HistogramMap {
  readonly #slots: LabelSlots;
  readonly #bounds: Float64Array;
  readonly #pairs: readonly string[];
  /** Buckets per slot: one per bound, plus `+Inf`. */
  readonly #width: number;
  #counts = new Float64Array(0);
  #sums = new Float64Array(0);

  constructor(
    readonly name: string,
    readonly labelNames: readonly string[],
    readonly upperBounds: readonly number[] = DEFAULT_BUCKETS,
  ) {
    this.#bounds = Float64Array.from(upperBounds);
    this.#width = upperBounds.length + 1;
    this.#pairs = labelPrefixes(labelNames);
    this.#slots = new LabelSlots({
      grow: (capacity) => {
        this.#counts = grown(this.#counts, capacity, this.#width);
        this.#sums = grown(this.#sums, capacity);
      },
      clear: (slot) => {
        this.#counts.fill(0, slot * this.#width, (slot + 1) * this.#width);
        this.#sums[slot] = 0;
      },
    });
  }

  /** Samples (lines) the current cycle renders: buckets, sum and count per label set. */
  get size(): number {
    return this.#slots.live * (this.#width + 2);
  }

  /** Starts a new cycle: every label set is gone until observed again. */
  reset(): void {
    this.#slots.reset();
  }

  /** Counts `value` in the label set `labelValues` (in declared label order). */
  observe(labelValues: readonly string[], value: number): void {
    const slot = this.#slots.slot(labelValues);
    const bounds = this.#bounds;
    let bucket = 0;
    // NaN is above no bound and below none: it lands in +Inf only, as client_golang counts it.
    while (bucket < bounds.length && !(value <= (bounds[bucket] as number))) bucket++;
    (this.#counts[slot * this.#width + bucket] as number)++;
    this.#sums[slot] = (this.#sums[slot] as number) + value;
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
      chunks: (constLabels) => renderHistogramChunks(this.name, this.#pairs, constLabels, this.upperBounds, this.#cursors(epoch)),
    };
  }

  /** Slots of `epoch`, as one reused cursor. */
  *#cursors(epoch: number): Generator<{ labelValues: readonly string[]; counts: Float64Array; offset: number; sum: number }> {
    const cursor = { labelValues: [] as readonly string[], counts: this.#counts, offset: 0, sum: 0 };
    for (const slot of this.#slots.slotsOf(epoch)) {
      cursor.labelValues = this.#slots.labelsOf(slot);
      cursor.counts = this.#counts;
      cursor.offset = slot * this.#width;
      cursor.sum = this.#sums[slot] as number;
      yield cursor;
    }
  }

  #samplesOf(epoch: number): Sample[] {
    const out: Sample[] = [];
    for (const s of this.#cursors(epoch)) {
      const labels = labelRecord(this.labelNames, s.labelValues);
      let cumulative = 0;
      for (let i = 0; i < this.#width; i++) {
        cumulative += s.counts[s.offset + i] as number;
        const le = i < this.upperBounds.length ? formatValue(this.upperBounds[i] as number) : '+Inf';
        out.push({ name: `${this.name}_bucket`, labels: { ...labels, le }, value: cumulative });
      }
      out.push({ name: `${this.name}_sum`, labels, value: s.sum });
      out.push({ name: `${this.name}_count`, labels, value: cumulative });
    }
    return out;
  }
}
