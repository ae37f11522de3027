import { CHUNK_LINES, labelPrefixes, renderValueChunks } from './exposition/format.js';
import { grown, LabelSlots, labelRecord } from './label-slots.js';
import type { Sample } from './types.js';

/** A family's series at one moment. */
export interface SeriesView {
  readonly size: number;
  samples(): Sample[];
  chunks(constLabels: string): Generator<string>;
}

export { CHUNK_LINES };

/**
 * The series of one gauge, counter, state set or info family: per label set, a slot of
 * {@link LabelSlots} and its value in a typed array. Writing is a map lookup; rendering walks
 * the slots in chunks. Cycles work as {@link LabelSlots} describes.
 */
export class SeriesMap {
  readonly #slots: LabelSlots;
  readonly #pairs: readonly string[];
  #values = new Float64Array(0);

  constructor(
    readonly sampleName: string,
    readonly labelNames: readonly string[],
  ) {
    this.#pairs = labelPrefixes(labelNames);
    this.#slots = new LabelSlots({
      grow: (capacity) => {
        this.#values = grown(this.#values, capacity);
      },
      clear: (slot) => {
        this.#values[slot] = 0;
      },
    });
  }

  /** Series written in the current cycle. */
  get size(): number {
    return this.#slots.live;
  }

  /** Starts a new cycle: every series is gone until written again. */
  reset(): void {
    this.#slots.reset();
  }

  /** Makes the series exist in this cycle (at 0 when new) without changing its value. */
  touch(labelValues: readonly string[]): void {
    this.#slots.slot(labelValues);
  }

  /** Sets the series of `labelValues` to `value`. */
  set(labelValues: readonly string[], value: number): void {
    // The slot first: making it may grow the array, and the write must go to the grown one.
    const slot = this.#slots.slot(labelValues);
    this.#values[slot] = value;
  }

  /** Adds `delta` to the series of `labelValues` (0 when new in this cycle). */
  add(labelValues: readonly string[], delta: number): void {
    const slot = this.#slots.slot(labelValues);
    this.#values[slot] = (this.#values[slot] as number) + delta;
  }

  /**
   * The series of the current cycle, to render before the next cycle begins (cycles of one
   * instance never overlap, and its commit ends before the next cycle starts).
   */
  view(): SeriesView {
    const epoch = this.#slots.epoch;
    return {
      size: this.size,
      samples: () => this.#samplesOf(epoch),
      chunks: (constLabels) => renderValueChunks(this.sampleName, this.#pairs, constLabels, this.#cursors(epoch)),
    };
  }

  /** Every series of the current cycle as a sample object. */
  samples(): Sample[] {
    return this.#samplesOf(this.#slots.epoch);
  }

  /** Renders the series in chunks of {@link CHUNK_LINES} lines, each label set led by `constLabels`. */
  chunks(constLabels: string): Generator<string> {
    return this.view().chunks(constLabels);
  }

  /** The series of `epoch`, as one reused cursor. */
  *#cursors(epoch: number): Generator<{ labelValues: readonly string[]; value: number }> {
    const cursor = { labelValues: [] as readonly string[], value: 0 };
    for (const slot of this.#slots.slotsOf(epoch)) {
      cursor.labelValues = this.#slots.labelsOf(slot);
      cursor.value = this.#values[slot] as number;
      yield cursor;
    }
  }

  #samplesOf(epoch: number): Sample[] {
    const out: Sample[] = [];
    for (const s of this.#cursors(epoch)) {
      const labels = labelRecord(this.labelNames, s.labelValues);
      out.push({ name: this.sampleName, labels, value: s.value });
    }
    return out;
  }
}
