/**
 * Values shared by content: the first one made for a key is handed to every later caller with the
 * same key. Bounded: past `capacity` keys the oldest is forgotten (it stays with whoever holds it),
 * so a process that reloads configs with ever new lists keeps sharing its newest ones.
 */
export class SharedByContent<T> {
  readonly #values = new Map<string, T>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** The value kept for `key`, or a new one from `make`, kept from now on. */
  get(key: string, make: () => T): T {
    let value = this.#values.get(key);
    if (value === undefined) {
      value = make();
      if (this.#values.size >= this.#capacity) this.#values.delete(this.#values.keys().next().value as string);
      this.#values.set(key, value);
    }
    return value;
  }
}

/** Distinct lists (and sets) kept to be shared. */
const SHARED_LISTS = 1024;
const lists = new SharedByContent<readonly string[]>(SHARED_LISTS);
const EMPTY: readonly string[] = Object.freeze([]);

/**
 * A frozen copy of `list`, the same one for every equal list (a thousand instances of one plugin
 * declare the same label names: one array, not a thousand). Keyed by content at the call: a
 * caller that changes its array afterwards changes nothing here.
 */
export function sharedList(list: readonly string[]): readonly string[] {
  if (list.length === 0) return EMPTY;
  return lists.get(JSON.stringify(list), () => Object.freeze([...list]));
}

const sets = new SharedByContent<ReadonlySet<string>>(SHARED_LISTS);

/**
 * A copy of `set`, the same one for every set of the same members (the reserved label names of a
 * thousand instances with the same labels: one set, not a thousand). Kept private by its holders:
 * never changed once made.
 */
export function sharedSet(set: ReadonlySet<string>): ReadonlySet<string> {
  return sets.get(JSON.stringify([...set].sort()), () => new Set(set));
}
