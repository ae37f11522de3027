/** Distinct lists kept to be shared; past this, each caller gets a copy of its own. */
const SHARED_LISTS = 1024;
const lists = new Map<string, readonly string[]>();
const EMPTY: readonly string[] = Object.freeze([]);

/**
 * A frozen copy of `list`, the same one for every equal list (a thousand instances of one plugin
 * declare the same label names: one array, not a thousand). Keyed by content at the call: a
 * caller that changes its array afterwards changes nothing here.
 */
export function sharedList(list: readonly string[]): readonly string[] {
  if (list.length === 0) return EMPTY;
  const key = JSON.stringify(list);
  let shared = lists.get(key);
  if (shared === undefined) {
    shared = Object.freeze([...list]);
    if (lists.size < SHARED_LISTS) lists.set(key, shared);
  }
  return shared;
}

const sets = new Map<string, ReadonlySet<string>>();

/**
 * A copy of `set`, the same one for every set of the same members (the reserved label names of a
 * thousand instances with the same labels: one set, not a thousand). Kept private by its holders:
 * never changed once made.
 */
export function sharedSet(set: ReadonlySet<string>): ReadonlySet<string> {
  const key = JSON.stringify([...set].sort());
  let shared = sets.get(key);
  if (shared === undefined) {
    shared = new Set(set);
    if (sets.size < SHARED_LISTS) sets.set(key, shared);
  }
  return shared;
}
