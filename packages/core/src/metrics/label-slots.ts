/**
 * Label sets a family makes room for when its first one is written; it then grows by doubling.
 * Most families of an instance hold one label set (a thousand instances each with a handful of
 * families): room for one costs a few bytes, room for sixteen a histogram's 1.5 KB.
 */
const INITIAL_CAPACITY = 1;

/**
 * Label sets up to which a family finds a label set's slot by searching pairs of key and slot;
 * past this, a Map is made. A state set's states or a counter by result are a few, where a Map
 * cost about 300 bytes a family.
 */
export const SMALL_KEYS = 16;

/** What a family keeps per slot, in arrays of its own that grow with the slots. */
export interface SlotData {
  /** Makes room for `capacity` slots, keeping what the first slots hold. */
  grow(capacity: number): void;
  /** Zeroes slot `slot`: a label set new, or written again in a new cycle. */
  clear(slot: number): void;
  /** Lets go of what slot `slot` holds outside the family's arrays (its label set vanished). */
  release?(slot: number): void;
}

/** A family's values: a plain array while small, a typed array past {@link SMALL_VALUES}. */
export type Values = number[] | Float64Array;

/**
 * Values up to which a family keeps a plain array. V8 keeps a small array of numbers in one packed
 * block (8 bytes a value), where a small typed array costs two objects and an off-heap store of
 * its own (about 200 bytes before its first value): an instance's families hold one label set
 * each, so that overhead was most of what they cost. Past this size a typed array is the compact
 * one (a plain array that large is made holey or as a dictionary, slow to grow and fill).
 */
export const SMALL_VALUES = 1024;

/** A copy of `array` grown to `capacity` entries of `width` values, the new ones `fill`. */
export function grown(array: Values, capacity: number, width = 1, fill = 0): Values {
  const size = capacity * width;
  if (size > SMALL_VALUES) {
    const next = new Float64Array(size);
    if (fill !== 0) next.fill(fill);
    next.set(array);
    return next;
  }
  const next = new Array<number>(size).fill(fill);
  for (let i = 0; i < array.length; i++) next[i] = array[i] as number;
  return next;
}

/**
 * The label sets of one family, each at a numbered slot of the family's arrays: writing is
 * a map lookup, and a family of 100,000 label sets is a handful of arrays for the garbage
 * collector, not 100,000 objects.
 *
 * Cycles: {@link reset} starts one, and every label set is gone until written again; a slot
 * written again is reused (cleared), the others are swept by the next render of the cycle. A
 * cycle that fails is never rendered, so the next {@link reset} sweeps what it left behind:
 * a failing instance with changing label values does not grow without bound.
 */
export class LabelSlots {
  /**
   * Label set key → slot, made past {@link SMALL_KEYS} label sets. Most families of an instance
   * only ever hold one (a gauge without labels), kept in {@link #onlyKey} and {@link #onlySlot}
   * at no cost of a Map (about 250 bytes a family); a few (a state set's states, a counter by
   * result) are pairs of key and slot in {@link #pairs}, searched in order.
   */
  #index: Map<string, number> | undefined;
  /** Keys and slots, alternating, in first-written order: made at the second label set, up to {@link SMALL_KEYS}. */
  #pairs: (string | number)[] | undefined;
  #onlyKey: string | undefined;
  #onlySlot = 0;
  readonly #data: SlotData;
  #labels: (readonly string[] | undefined)[] = [];
  /** The cycle each slot was last written in (-1: free); empty until the first label set. */
  #epochs: Values = [];
  /** Slots freed by a sweep, made at the first. */
  #free: number[] | undefined;
  #used = 0;
  #epoch = 0;
  #live = 0;
  /** The last epoch whose render swept the older slots away. */
  #swept = 0;

  /** `data` is asked to grow before the first slot is handed out: nothing is allocated before. */
  constructor(data: SlotData) {
    this.#data = data;
  }

  /** Label sets written in the current cycle. */
  get live(): number {
    return this.#live;
  }

  /** The current cycle. */
  get epoch(): number {
    return this.#epoch;
  }

  /** Starts a new cycle: every label set is gone until written again. */
  reset(): void {
    if (this.#swept !== this.#epoch) {
      const epoch = this.#epoch;
      this.#forEachKey((key, slot) => {
        if (this.#epochs[slot] !== epoch) this.#drop(key, slot);
      });
    }
    this.#epoch++;
    this.#live = 0;
  }

  /** The slot of `labelValues` in this cycle, cleared when new or written again in a new cycle. */
  slot(labelValues: readonly string[]): number {
    const key = labelValues.length === 1 ? (labelValues[0] as string) : keyOf(labelValues);
    let slot: number | undefined;
    if (this.#index !== undefined) slot = this.#index.get(key);
    else if (this.#pairs !== undefined) slot = slotIn(this.#pairs, key);
    else if (key === this.#onlyKey) slot = this.#onlySlot;
    if (slot === undefined) {
      slot = this.#free?.pop() ?? this.#grow();
      this.#insert(key, slot);
      this.#labels[slot] = labelValues;
    } else if (this.#epochs[slot] === this.#epoch) {
      return slot;
    }
    this.#epochs[slot] = this.#epoch;
    this.#data.clear(slot);
    this.#live++;
    return slot;
  }

  /** The label values of a live slot, in the family's label order. */
  labelsOf(slot: number): readonly string[] {
    return this.#labels[slot] as readonly string[];
  }

  /** The slots of `epoch`, in first-written order; slots older than it are swept on the way. */
  slotsOf(epoch: number): number[] {
    const slots: number[] = [];
    this.forEachOf(epoch, (slot) => slots.push(slot));
    return slots;
  }

  /** Calls `visit` with each slot of `epoch`, in first-written order; older slots are swept on the way. */
  forEachOf(epoch: number, visit: (slot: number) => void): void {
    this.#forEachKey((key, slot) => {
      const at = this.#epochs[slot] as number;
      if (at === epoch) visit(slot);
      else if (at < epoch) this.#drop(key, slot);
    });
    if (epoch === this.#epoch) this.#swept = epoch;
  }

  /** Calls `visit` with each key and its slot in first-written order; `visit` may drop the key. */
  #forEachKey(visit: (key: string, slot: number) => void): void {
    if (this.#index !== undefined) {
      for (const [key, slot] of this.#index) visit(key, slot);
    } else if (this.#pairs !== undefined) {
      const pairs = this.#pairs;
      for (let i = 0; i < pairs.length; ) {
        const key = pairs[i] as string;
        visit(key, pairs[i + 1] as number);
        // A visit may drop its own key (keys are unique): the next pair then moved to i.
        if (pairs[i] === key) i += 2;
      }
    } else if (this.#onlyKey !== undefined) {
      visit(this.#onlyKey, this.#onlySlot);
    }
  }

  #insert(key: string, slot: number): void {
    if (this.#index !== undefined) {
      this.#index.set(key, slot);
    } else if (this.#pairs !== undefined) {
      const pairs = this.#pairs;
      if (pairs.length < SMALL_KEYS * 2) {
        // Grown by one pair at a time, to its size: pushing would leave room for 16 more.
        const next: (string | number)[] = new Array(pairs.length + 2);
        for (let i = 0; i < pairs.length; i++) next[i] = pairs[i] as string | number;
        next[pairs.length] = key;
        next[pairs.length + 1] = slot;
        this.#pairs = next;
      } else {
        const index = new Map<string, number>();
        for (let i = 0; i < pairs.length; i += 2) index.set(pairs[i] as string, pairs[i + 1] as number);
        index.set(key, slot);
        this.#index = index;
        this.#pairs = undefined;
      }
    } else if (this.#onlyKey === undefined) {
      this.#onlyKey = key;
      this.#onlySlot = slot;
    } else {
      this.#pairs = [this.#onlyKey, this.#onlySlot, key, slot];
      this.#onlyKey = undefined;
    }
  }

  #drop(key: string, slot: number): void {
    if (this.#index !== undefined) this.#index.delete(key);
    else if (this.#pairs !== undefined) removePair(this.#pairs, key);
    else if (key === this.#onlyKey) this.#onlyKey = undefined;
    this.#labels[slot] = undefined;
    this.#epochs[slot] = -1;
    this.#data.release?.(slot);
    if (this.#free === undefined) this.#free = [slot];
    else this.#free.push(slot);
  }

  #grow(): number {
    if (this.#used === this.#epochs.length) {
      const capacity = Math.max(INITIAL_CAPACITY, this.#epochs.length * 2);
      this.#epochs = grown(this.#epochs, capacity, 1, -1);
      // Sized to the capacity: an array grown by assignment keeps room for 16 more.
      const labels: (readonly string[] | undefined)[] = new Array(capacity);
      for (let i = 0; i < this.#used; i++) labels[i] = this.#labels[i];
      this.#labels = labels;
      this.#data.grow(capacity);
    }
    return this.#used++;
  }
}

/** The slot of `key` in alternating keys and slots, if there. */
function slotIn(pairs: readonly (string | number)[], key: string): number | undefined {
  for (let i = 0; i < pairs.length; i += 2) if (pairs[i] === key) return pairs[i + 1] as number;
  return undefined;
}

/** Removes the pair of `key` from `pairs`, in place: a visit in progress sees the next pair move up. */
function removePair(pairs: (string | number)[], key: string): void {
  for (let i = 0; i < pairs.length; i += 2) {
    if (pairs[i] === key) {
      pairs.splice(i, 2);
      return;
    }
  }
}

/**
 * The map key of a label set of two or more values: joined by NUL, which holds n-1 NULs, unless a
 * value holds a NUL itself; then its JSON, which holds none, so two sets never share a key.
 */
function keyOf(labelValues: readonly string[]): string {
  for (const value of labelValues) if (value.includes('\u0000')) return JSON.stringify(labelValues);
  return labelValues.join('\u0000');
}

/** A label set as an object (`{name: value}`), for sample objects. */
export function labelRecord(labelNames: readonly string[], labelValues: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  labelNames.forEach((name, i) => {
    labels[name] = labelValues[i] as string;
  });
  return labels;
}
