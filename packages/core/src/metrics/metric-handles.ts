import type { Counter, Gauge, Histogram, Info, Labels, StateSet, Summary } from '@muster/sdk';
import { createError, type MusterError } from '../errors.js';
import type { SeriesMap, SeriesView } from './series.js';
import type { FamilyDefinition } from './types.js';

/** What every family store does: start a cycle, and show the cycle's series. */
export interface FamilyStore {
  reset(): void;
  view(): SeriesView;
}

/** A store that counts observations (a histogram or a summary map). */
interface ObservingStore extends FamilyStore {
  observe(labelValues: readonly string[], value: number): void;
}

/** What the families of one instance share while a cycle writes them: the instance, and the cycle's first invalid write. */
export class CycleWrites {
  readonly instance: string;
  /** The first invalid write of the current cycle, if any. */
  invalid: MusterError | undefined = undefined;

  constructor(instance: string) {
    this.instance = instance;
  }
}

/** One family an instance declared: its definition, its series, and whether this cycle wrote it. */
export class DeclaredFamily {
  readonly def: FamilyDefinition;
  readonly accumulate: boolean;
  /** Written since the cycle began (an unwritten current-state family has no value this cycle). */
  written = false;
  /** The family's series: a value map (gauges, counters, state sets, info), a histogram or a summary map. */
  readonly store: FamilyStore;
  readonly writes: CycleWrites;

  constructor(def: FamilyDefinition, accumulate: boolean, store: FamilyStore, writes: CycleWrites) {
    this.def = def;
    this.accumulate = accumulate;
    this.store = store;
    this.writes = writes;
  }
}

/** Applies one checked write: the label values in declared order, and the value. */
type Apply = (family: DeclaredFamily, labelValues: string[], value: number) => void;

/**
 * Normalises (labels, value) arguments, checks them against the family's label names, and
 * applies `apply` with the label values in declared order; a bad write marks the cycle invalid.
 */
function write(family: DeclaredFamily, a: Labels<string> | number | undefined, b: number | undefined, apply: Apply): void {
  const hasLabels = typeof a === 'object' && a !== null;
  const raw = (hasLabels ? a : {}) as Record<string, unknown>;
  const value = hasLabels ? b : a;
  const { name, labelNames } = family.def;
  try {
    if (typeof value !== 'number') throw new Error(`metric "${name}": expected a number value, found ${typeof value}`);
    const values: string[] = new Array(labelNames.length);
    let given = 0;
    for (const key in raw) {
      const index = labelNames.indexOf(key);
      if (index === -1) {
        throw new Error(`metric "${name}": label "${key}" is not declared (declared: ${labelNames.join(', ') || 'none'})`);
      }
      const v = raw[key];
      // A lone UTF-16 surrogate goes out in UTF-8 as U+FFFD: the series is keyed by what is sent,
      // so values that differ only there are one series, not duplicates in the exposition.
      if (typeof v === 'string') values[index] = wellFormed(v);
      else if (typeof v === 'number') values[index] = formatLabelNumber(v);
      else throw new Error(`metric "${name}": label "${key}" must be a string or number, found ${typeof v}`);
      given++;
    }
    if (given !== labelNames.length) {
      const missing = labelNames.find((_, i) => values[i] === undefined);
      throw new Error(`metric "${name}": label "${missing}" is missing`);
    }
    apply(family, values, value);
    family.written = true;
  } catch (err) {
    const error = createError('MUSTER_ERR_INVALID_OUTPUT', [family.writes.instance, (err as Error).message]);
    family.writes.invalid ??= error;
    throw error;
  }
}

const setValue: Apply = (family, values, v) => {
  (family.store as SeriesMap).set(values, v);
};

const addValue: Apply = (family, values, v) => {
  (family.store as SeriesMap).add(values, v);
};

const subtractValue: Apply = (family, values, v) => {
  (family.store as SeriesMap).add(values, -v);
};

const addToCounter: Apply = (family, values, v) => {
  const name = family.def.name;
  if (v < 0) throw new Error(`counter "${name}" cannot go down (inc by ${v})`);
  // NaN and +Inf would stick for good: a counter only ever adds.
  if (!Number.isFinite(v)) throw new Error(`counter "${name}" can only be increased by a finite number (inc by ${v})`);
  (family.store as SeriesMap).add(values, v);
};

const observeValue: Apply = (family, values, v) => {
  if (Number.isNaN(v)) throw new Error(`metric "${family.def.name}": cannot observe NaN`);
  (family.store as ObservingStore).observe(values, v);
};

const setInfo: Apply = (family, values) => {
  (family.store as SeriesMap).set(values, 1);
};

/*
 * The handles a collector writes through. One small object per declared family, its methods on
 * the prototype: a thousand instances share the code, where a closure per method and family cost
 * about 2 KB an instance. Like prom-client's, the methods are called on their handle
 * (`gauge.set(1)`), not detached from it.
 */

/** A gauge's handle. */
export class GaugeHandle implements Gauge<string> {
  readonly #family: DeclaredFamily;

  constructor(family: DeclaredFamily) {
    this.#family = family;
  }

  set(a: Labels<string> | number, b?: number): void {
    write(this.#family, a, b, setValue);
  }

  inc(a?: Labels<string> | number, b?: number): void {
    write(this.#family, a ?? 1, b ?? 1, addValue);
  }

  dec(a?: Labels<string> | number, b?: number): void {
    write(this.#family, a ?? 1, b ?? 1, subtractValue);
  }
}

/** A counter's handle. */
export class CounterHandle implements Counter<string> {
  readonly #family: DeclaredFamily;

  constructor(family: DeclaredFamily) {
    this.#family = family;
  }

  inc(a?: Labels<string> | number, b?: number): void {
    write(this.#family, a ?? 1, b ?? 1, addToCounter);
  }
}

/** A histogram's or a summary's handle. */
export class ObserverHandle implements Histogram<string>, Summary<string> {
  readonly #family: DeclaredFamily;

  constructor(family: DeclaredFamily) {
    this.#family = family;
  }

  observe(a: Labels<string> | number, b?: number): void {
    write(this.#family, a, b, observeValue);
  }

  startTimer(labels?: Labels<string>): (endLabels?: Labels<string>) => number {
    const start = process.hrtime.bigint();
    return (endLabels?: Labels<string>) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      this.observe({ ...(labels ?? {}), ...(endLabels ?? {}) } as Labels<string>, seconds);
      return seconds;
    };
  }
}

/** An info metric's handle. */
export class InfoHandle implements Info<string> {
  readonly #family: DeclaredFamily;

  constructor(family: DeclaredFamily) {
    this.#family = family;
  }

  set(labels: Labels<string>): void {
    write(this.#family, labels, 1, setInfo);
  }
}

/** A state set's handle: one 1 among its states per label set. */
export class StateSetHandle implements StateSet<string, string> {
  readonly #family: DeclaredFamily;
  readonly #states: readonly string[];
  /** Without labels of its own, a state's label values are the state alone: one array per state. */
  readonly #alone: readonly (readonly string[])[] | undefined;

  constructor(family: DeclaredFamily, states: readonly string[], alone: readonly (readonly string[])[] | undefined) {
    this.#family = family;
    this.#states = states;
    this.#alone = alone;
  }

  set(a: Labels<string> | string, b?: string): void {
    const labels = (typeof a === 'object' ? a : {}) as Labels<string>;
    const state = typeof a === 'object' ? b : a;
    const states = this.#states;
    const alone = this.#alone;
    write(this.#family, labels, 0, (family, values) => {
      if (state === undefined || !states.includes(state)) {
        throw new Error(`state set "${family.def.name}": "${String(state)}" is not one of ${states.join(', ')}`);
      }
      const map = family.store as SeriesMap;
      states.forEach((st, i) => {
        map.set(alone?.[i] ?? [...values, st], st === state ? 1 : 0);
      });
    });
  }
}

function formatLabelNumber(n: number): string {
  if (n === Number.POSITIVE_INFINITY) return '+Inf';
  if (n === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(n);
}

/** `value` with every lone UTF-16 surrogate replaced by U+FFFD, as UTF-8 encoding writes it. */
function wellFormed(value: string): string {
  const text = value as string & { isWellFormed(): boolean; toWellFormed(): string };
  return text.isWellFormed() ? value : text.toWellFormed();
}
