import { CHUNK_LINES, labelPrefixes, openLabels } from './exposition/format.js';
import { LabelSlots, labelRecord, type SlotData } from './label-slots.js';
import type { Sample } from './types.js';

/** A family's series at one moment. */
export interface SeriesView {
  readonly size: number;
  samples(): Sample[];
  /** The sample lines in chunks of about {@link CHUNK_LINES} lines, each label set led by `constLabels`. */
  chunks(constLabels: string): Iterable<string>;
  /** Every sample line in one string when the family fits in one chunk; `undefined` when it does not. */
  text(constLabels: string): string | undefined;
}

/** `name="` prefixes per frozen list of label names (instances share their lists: see `sharedList`). */
const PREFIXES = new WeakMap<readonly string[], readonly string[]>();

/** The `name="` prefixes of `labelNames`, made once per frozen list (a list that may change gets its own). */
function prefixesOf(labelNames: readonly string[]): readonly string[] {
  if (!Object.isFrozen(labelNames)) return labelPrefixes(labelNames);
  let prefixes = PREFIXES.get(labelNames);
  if (prefixes === undefined) {
    prefixes = Object.freeze(labelPrefixes(labelNames));
    PREFIXES.set(labelNames, prefixes);
  }
  return prefixes;
}

/**
 * What the three value families (series, histograms, summaries) share: their label sets at
 * {@link LabelSlots} slots, cycles, and rendering. A family keeps its values in arrays of its own
 * ({@link SlotData}), allocated when its first label set is written; it says which lines and
 * which samples one slot makes. A family that fits in one chunk (most families of an instance
 * hold one label set) renders in one pass with no cursor, generator or chunk list.
 */
export abstract class SlotFamily implements SlotData {
  protected readonly slots: LabelSlots;
  /** `name="` prefixes of the label names, rendered once. */
  protected readonly pairs: readonly string[];

  constructor(
    readonly name: string,
    readonly labelNames: readonly string[],
    /** Sample lines one label set renders. */
    readonly linesPerSlot: number,
  ) {
    this.pairs = prefixesOf(labelNames);
    this.slots = new LabelSlots(this);
  }

  abstract grow(capacity: number): void;
  abstract clear(slot: number): void;
  /** The sample lines of `slot`, its label set rendered as `open` ({@link openLabels}). */
  protected abstract linesAt(slot: number, open: string): string;
  /** Appends the samples of `slot`, its labels as `labels`. */
  protected abstract samplesAt(slot: number, labels: Record<string, string>, out: Sample[]): void;

  /** What rendering one slot costs, counted in lines against {@link CHUNK_LINES}. */
  get slotCost(): number {
    return this.linesPerSlot;
  }

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
    return new EpochView(this, this.slots.epoch, this.size);
  }

  /** Every series of the current cycle as sample objects. */
  samples(): Sample[] {
    return this.samplesOf(this.slots.epoch);
  }

  /** Renders the current cycle in chunks, each label set led by `constLabels`. */
  chunks(constLabels: string): Iterable<string> {
    return this.chunksOf(this.slots.epoch, constLabels);
  }

  /** The lines of `epoch` in chunks of about {@link CHUNK_LINES} lines. */
  *chunksOf(epoch: number, constLabels: string): Generator<string> {
    const cost = this.slotCost;
    let out = '';
    let lines = 0;
    for (const slot of this.slots.slotsOf(epoch)) {
      out += this.linesAt(slot, openLabels(this.pairs, constLabels, this.slots.labelsOf(slot)));
      lines += cost;
      if (lines >= CHUNK_LINES) {
        yield out;
        out = '';
        lines = 0;
      }
    }
    if (out !== '') yield out;
  }

  /** The lines of `epoch` in one string (whatever their number: see {@link SeriesView.text}). */
  textOf(epoch: number, constLabels: string): string {
    let out = '';
    this.slots.forEachOf(epoch, (slot) => {
      out += this.linesAt(slot, openLabels(this.pairs, constLabels, this.slots.labelsOf(slot)));
    });
    return out;
  }

  /** The series of `epoch` as sample objects. */
  samplesOf(epoch: number): Sample[] {
    const out: Sample[] = [];
    this.slots.forEachOf(epoch, (slot) => this.samplesAt(slot, labelRecord(this.labelNames, this.slots.labelsOf(slot)), out));
    return out;
  }
}

/** A family's series of one cycle: what {@link SlotFamily.view} hands out. */
class EpochView implements SeriesView {
  constructor(
    readonly family: SlotFamily,
    readonly epoch: number,
    readonly size: number,
  ) {}

  samples(): Sample[] {
    return this.family.samplesOf(this.epoch);
  }

  chunks(constLabels: string): Iterable<string> {
    return this.family.chunksOf(this.epoch, constLabels);
  }

  text(constLabels: string): string | undefined {
    const family = this.family;
    if ((this.size / family.linesPerSlot) * family.slotCost > CHUNK_LINES) return undefined;
    return family.textOf(this.epoch, constLabels);
  }
}
