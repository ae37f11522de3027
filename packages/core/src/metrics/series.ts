import { CHUNK_LINES, valueLine } from './exposition/format.js';
import { grown, type Values } from './label-slots.js';
import { SlotFamily } from './slot-family.js';
import type { Sample } from './types.js';

export type { SeriesView } from './slot-family.js';
export { CHUNK_LINES };

/**
 * The series of one gauge, counter, state set or info family: per label set, a slot of
 * {@link LabelSlots} and its value in an array of numbers. Writing is a map lookup; rendering walks
 * the slots. Cycles work as {@link LabelSlots} describes.
 */
export class SeriesMap extends SlotFamily {
  #values: Values = [];

  constructor(sampleName: string, labelNames: readonly string[]) {
    super(sampleName, labelNames, 1);
  }

  /** The name of every sample (the family's name). */
  get sampleName(): string {
    return this.name;
  }

  grow(capacity: number): void {
    this.#values = grown(this.#values, capacity);
  }

  clear(slot: number): void {
    this.#values[slot] = 0;
  }

  /** Sets the series of `labelValues` to `value`. */
  set(labelValues: readonly string[], value: number): void {
    // The slot first: making it may grow the array, and the write must go to the grown one.
    const slot = this.slots.slot(labelValues);
    this.#values[slot] = value;
  }

  /** Adds `delta` to the series of `labelValues` (0 when new in this cycle). */
  add(labelValues: readonly string[], delta: number): void {
    const slot = this.slots.slot(labelValues);
    this.#values[slot] = (this.#values[slot] as number) + delta;
  }

  protected linesAt(slot: number, open: string): string {
    return valueLine(this.name, open, this.#values[slot] as number);
  }

  protected samplesAt(slot: number, labels: Record<string, string>, out: Sample[]): void {
    out.push({ name: this.name, labels, value: this.#values[slot] as number });
  }
}
