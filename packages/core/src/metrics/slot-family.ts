import { labelPrefixes } from './exposition/format.js';
import { LabelSlots, labelRecord, type SlotData } from './label-slots.js';
import type { Sample } from './types.js';

/** A family's series at one moment. */
export interface SeriesView {
  readonly size: number;
  samples(): Sample[];
  chunks(constLabels: string): Generator<string>;
}

/** What a family's cursor holds at every slot: its label values, then what the family adds. */
export interface SlotCursor {
  labelValues: readonly string[];
}

/**
 * What the three value families (series, histograms, summaries) share: their label sets at
 * {@link LabelSlots} slots, cycles, and one reused cursor walking the current cycle's slots for
 * rendering and for sample objects. A family keeps its values in arrays of its own
 * ({@link SlotData}), allocated when its first label set is written; it says how to fill the
 * cursor at a slot, how to render a run of cursors, and which samples one slot makes.
 */
export abstract class SlotFamily<C extends SlotCursor> implements SlotData {
  protected readonly slots: LabelSlots;
  /** `name="` prefixes of the label names, rendered once. */
  protected readonly pairs: readonly string[];

  constructor(
    readonly name: string,
    readonly labelNames: readonly string[],
    /** Sample lines one label set renders. */
    readonly linesPerSlot: number,
  ) {
    this.pairs = labelPrefixes(labelNames);
    this.slots = new LabelSlots(this);
  }

  abstract grow(capacity: number): void;
  abstract clear(slot: number): void;
  /** A fresh cursor (one per walk, reused at every slot). */
  protected abstract cursor(): C;
  /** Points `cursor` at `slot` (its label values are set already). */
  protected abstract fill(cursor: C, slot: number): void;
  /** Renders the cursors in chunks, each label set led by `constLabels`. */
  protected abstract render(constLabels: string, cursors: Iterable<C>): Generator<string>;
  /** Appends the samples of the slot `cursor` is at, its labels as `labels`. */
  protected abstract samplesAt(cursor: C, labels: Record<string, string>, out: Sample[]): void;

  /** Sample lines the current cycle renders. */
  get size(): number {
    return this.slots.live * this.linesPerSlot;
  }

  /** Starts a new cycle: every label set is gone until written again. */
  reset(): void {
    this.slots.reset();
  }

  /** Makes the label set exist in this cycle (at zero when new) without changing its values. */
  touch(labelValues: readonly string[]): void {
    this.slots.slot(labelValues);
  }

  /**
   * The current cycle's series, to render before the next cycle begins (cycles of one instance
   * never overlap, and its commit ends before the next cycle starts).
   */
  view(): SeriesView {
    const epoch = this.slots.epoch;
    return {
      size: this.size,
      samples: () => this.#samplesOf(epoch),
      chunks: (constLabels) => this.render(constLabels, this.#cursors(epoch)),
    };
  }

  /** Every series of the current cycle as sample objects. */
  samples(): Sample[] {
    return this.#samplesOf(this.slots.epoch);
  }

  /** Renders the current cycle in chunks, each label set led by `constLabels`. */
  chunks(constLabels: string): Generator<string> {
    return this.view().chunks(constLabels);
  }

  /** The slots of `epoch`, as one reused cursor. */
  *#cursors(epoch: number): Generator<C> {
    const cursor = this.cursor();
    for (const slot of this.slots.slotsOf(epoch)) {
      cursor.labelValues = this.slots.labelsOf(slot);
      this.fill(cursor, slot);
      yield cursor;
    }
  }

  #samplesOf(epoch: number): Sample[] {
    const out: Sample[] = [];
    for (const cursor of this.#cursors(epoch)) this.samplesAt(cursor, labelRecord(this.labelNames, cursor.labelValues), out);
    return out;
  }
}
