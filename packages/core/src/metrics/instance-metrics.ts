import type {
  Counter,
  Gauge,
  Histogram,
  HistogramOptions,
  Info,
  MetricFactory,
  MetricOptions,
  StateSet,
  StateSetOptions,
  Summary,
  SummaryOptions,
} from '@muster/sdk';
import { createError, type MusterError } from '../errors.js';
import type { FamilyRegistry } from './families.js';
import { checkLabelNames, checkMetricName } from './names.js';
import { DEFAULT_BUCKETS, HistogramMap } from './histogram-map.js';
import {
  CounterHandle,
  CycleWrites,
  DeclaredFamily,
  type FamilyStore,
  GaugeHandle,
  InfoHandle,
  ObserverHandle,
  StateSetHandle,
} from './metric-handles.js';
import { SeriesMap, type SeriesView } from './series.js';
import { SharedByContent, sharedList, sharedSet } from './shared-lists.js';
import { SummaryMap } from './summary-map.js';
import type { FamilyDefinition, FamilySnapshot, MetricKind, Sample } from './types.js';

/**
 * Declared names up to which an instance finds a name by searching its families: most declare a
 * handful, where a Map cost about 260 bytes an instance. Past this, a set of the names is made.
 */
export const NAME_SET_AFTER = 16;

/** Options of {@link InstanceMetrics}. */
export interface InstanceMetricsOptions {
  /** The instance name (or `muster` for the exporter's own metrics). */
  readonly instance: string;
  /** The plugin that owns the families declared here. */
  readonly plugin: string;
  /** Where family names are checked for clashes across instances. */
  readonly families: FamilyRegistry;
  /** Label names the host adds (collector, instance labels): a plugin may not declare them. */
  readonly reservedLabels: ReadonlySet<string>;
  /** True for muster's own metrics (allowed the `muster_` prefix). */
  readonly system?: boolean;
}

/**
 * One instance's metrics: the {@link MetricFactory} its collector writes through. Every kind
 * lives in muster's own stores, cheap to write and rendered in chunks: gauges, counters, state
 * sets and info in series maps, histograms in arrays of numbers ({@link HistogramMap}), summaries
 * with sliding-window quantiles ({@link SummaryMap}). Current-state metrics are emptied by
 * {@link beginCycle}; {@link snapshot} hands the cycle's values to the store.
 */
export class InstanceMetrics implements MetricFactory {
  readonly #declared: DeclaredFamily[] = [];
  /** The declared names, made past {@link NAME_SET_AFTER} of them: below, {@link #declared} is searched. */
  #names: Set<string> | undefined;
  // The options one by one, not the object: its reserved labels are a set shared by the
  // instances with the same labels, and the caller's own set is not kept.
  readonly #instance: string;
  readonly #plugin: string;
  readonly #families: FamilyRegistry;
  readonly #reservedLabels: ReadonlySet<string>;
  readonly #system: boolean | undefined;
  readonly #writes: CycleWrites;

  constructor(options: InstanceMetricsOptions) {
    this.#instance = options.instance;
    this.#plugin = options.plugin;
    this.#families = options.families;
    this.#reservedLabels = sharedSet(options.reservedLabels);
    this.#system = options.system;
    this.#writes = new CycleWrites(options.instance);
  }

  /** The first invalid write of the current cycle, if any (the cycle then fails). */
  get invalidOutput(): MusterError | undefined {
    return this.#writes.invalid;
  }

  /** Starts a cycle: current-state metrics are emptied, accumulating ones kept. */
  beginCycle(): void {
    this.#writes.invalid = undefined;
    for (const d of this.#declared) {
      d.written = false;
      if (d.accumulate) continue;
      d.store.reset();
    }
  }

  /** The families' current values, rendered when the store commits them (before the next cycle). */
  async snapshot(): Promise<FamilySnapshot[]> {
    const out: FamilySnapshot[] = [];
    for (const d of this.#declared) {
      if (!d.accumulate && !d.written) continue;
      const view = d.store.view();
      if (view.size > 0) out.push(new ViewSnapshot(d.def, view));
    }
    return out;
  }

  /** The families declared so far, in declaration order. */
  definitions(): FamilyDefinition[] {
    return this.#declared.map((d) => d.def);
  }

  /** Forgets this instance's family declarations (on close). */
  release(): void {
    this.#families.release(this.#instance);
  }

  gauge<L extends string = never>(options: MetricOptions<L>): Gauge<L> {
    return new GaugeHandle(this.#declare(options, 'gauge', false)) as Gauge<L>;
  }

  counter<L extends string = never>(options: MetricOptions<L>): Counter<L> {
    const d = this.#declare(options, 'counter', true);
    // An unlabelled counter exists from the start, at 0, as Prometheus clients do.
    if (d.def.labelNames.length === 0) (d.store as SeriesMap).touch([]);
    return new CounterHandle(d) as Counter<L>;
  }

  histogram<L extends string = never>(options: HistogramOptions<L>): Histogram<L> {
    const buckets = options.buckets === undefined ? undefined : [...options.buckets];
    if (buckets !== undefined) {
      if (buckets.some((b) => Number.isNaN(b))) throw this.#metricError(`histogram "${options.name}": a bucket bound is NaN`);
      for (let i = 1; i < buckets.length; i++) {
        if (!((buckets[i] as number) > (buckets[i - 1] as number))) {
          throw this.#metricError(`histogram "${options.name}": buckets must be strictly ascending`);
        }
      }
      // The +Inf bucket is always there: a last bound of +Inf is dropped (as client_golang does), not rendered twice.
      if (buckets.at(-1) === Number.POSITIVE_INFINITY) buckets.pop();
    }
    const d = this.#declare(options, 'histogram', true, (labelNames) => new HistogramMap(options.name, labelNames, buckets ?? DEFAULT_BUCKETS));
    // An unlabelled histogram exists from the start, at 0, as Prometheus clients do.
    if (d.def.labelNames.length === 0) (d.store as HistogramMap).touch([]);
    return new ObserverHandle(d) as Histogram<L>;
  }

  summary<L extends string = never>(options: SummaryOptions<L>): Summary<L> {
    const quantiles = options.percentiles === undefined ? undefined : [...options.percentiles];
    if (quantiles !== undefined && (quantiles.length === 0 || quantiles.some((q) => !(q > 0 && q < 1)))) {
      throw this.#metricError(`summary "${options.name}": percentiles must be numbers between 0 and 1 (exclusive)`);
    }
    if (quantiles !== undefined && new Set(quantiles).size !== quantiles.length) {
      throw this.#metricError(`summary "${options.name}": percentiles must not repeat (each is one series per label set)`);
    }
    if (options.maxAgeSeconds !== undefined && !(options.maxAgeSeconds > 0)) {
      throw this.#metricError(`summary "${options.name}": maxAgeSeconds must be a positive number`);
    }
    if (options.ageBuckets !== undefined && !(Number.isInteger(options.ageBuckets) && options.ageBuckets > 0)) {
      throw this.#metricError(`summary "${options.name}": ageBuckets must be a positive whole number`);
    }
    const d = this.#declare(
      options,
      'summary',
      true,
      (labelNames) =>
        new SummaryMap(options.name, labelNames, {
          ...(quantiles === undefined ? {} : { quantiles: [...quantiles].sort((a, b) => a - b) }),
          ...(options.maxAgeSeconds === undefined ? {} : { maxAgeSeconds: options.maxAgeSeconds }),
          ...(options.ageBuckets === undefined ? {} : { ageBuckets: options.ageBuckets }),
        }),
    );
    if (d.def.labelNames.length === 0) (d.store as SummaryMap).touch([]);
    return new ObserverHandle(d) as Summary<L>;
  }

  stateSet<L extends string = never, S extends string = string>(options: StateSetOptions<L, S>): StateSet<L, S> {
    if (options.states.length === 0 || new Set(options.states).size !== options.states.length) {
      throw this.#metricError(`state set "${options.name}": states must be a non-empty list without repeats`);
    }
    const list = stateList(options.states);
    const d = this.#declare(options, 'stateset', false, undefined, sharedList([...(options.labelNames ?? []), options.name]));
    // Without labels of its own, a state's label values are the state alone: one array per state,
    // shared by every instance that declares the same states.
    return new StateSetHandle(d, list.states, d.def.labelNames.length === 0 ? list.alone : undefined) as StateSet<L, S>;
  }

  info<L extends string = never>(options: MetricOptions<L>): Info<L> {
    return new InfoHandle(this.#declare(options, 'info', false)) as Info<L>;
  }

  #declare(
    options: MetricOptions<string>,
    kind: MetricKind,
    accumulateByDefault: boolean,
    make?: (labelNames: readonly string[]) => FamilyStore,
    seriesLabels?: readonly string[],
  ): DeclaredFamily {
    const instance = this.#instance;
    const plugin = this.#plugin;
    const families = this.#families;
    const reservedLabels = this.#reservedLabels;
    const system = this.#system;
    if (typeof options?.name !== 'string' || typeof options.help !== 'string' || options.help.trim() === '') {
      throw this.#metricError(`a ${kind} needs a "name" and a non-empty "help"`);
    }
    const labelNames = sharedList(options.labelNames ?? []);
    const problem =
      checkMetricName(options.name, kind, options.legacyName === true) ?? checkLabelNames(options.name, kind, labelNames, reservedLabels);
    if (problem !== undefined) throw this.#metricError(problem);
    if (this.#isDeclared(options.name)) throw this.#metricError(`metric "${options.name}" is declared twice`);
    const own: FamilyDefinition = { name: options.name, help: options.help, kind, labelNames, owner: plugin };
    const known = families.declare(own, instance, system);
    // The registry's definition agrees on name, kind, help and owner: with the same label names,
    // it is this one too, and the instances of a plugin share it.
    const def = known.labelNames === labelNames ? known : own;
    const accumulate = options.accumulate ?? accumulateByDefault;
    const store = make === undefined ? new SeriesMap(options.name, seriesLabels ?? labelNames) : make(labelNames);
    const declared = new DeclaredFamily(def, accumulate, store, this.#writes);
    this.#declared.push(declared);
    if (this.#names !== undefined) this.#names.add(options.name);
    else if (this.#declared.length > NAME_SET_AFTER) this.#names = new Set(this.#declared.map((d) => d.def.name));
    return declared;
  }

  /** True when this instance declared a family named `name`. */
  #isDeclared(name: string): boolean {
    if (this.#names !== undefined) return this.#names.has(name);
    for (const d of this.#declared) if (d.def.name === name) return true;
    return false;
  }

  #metricError(message: string): MusterError {
    return createError('MUSTER_ERR_METRIC_INVALID', [this.#instance, message]);
  }
}

/** A list of states as declared: a frozen copy, and each state's label values alone (`[state]`), for a state set without labels. */
interface StateList {
  readonly states: readonly string[];
  readonly alone: readonly (readonly string[])[];
}

/** Distinct lists of states kept to be shared. */
const stateLists = new SharedByContent<StateList>(256);

/**
 * The {@link StateList} of `states` as they are now, shared by every state set declared with the
 * same states (a thousand instances of one plugin hold one copy). Keyed by content: a plugin that
 * reuses and refills one array gets the states it holds at each declaration.
 */
function stateList(states: readonly string[]): StateList {
  return stateLists.get(JSON.stringify(states), () => ({
    states: Object.freeze([...states]),
    alone: Object.freeze(states.map((st) => Object.freeze([st]))),
  }));
}

/** A family's snapshot over its store's view: one object, its methods on the prototype. */
class ViewSnapshot implements FamilySnapshot {
  readonly name: string;
  readonly help: string;
  readonly kind: MetricKind;
  readonly count: number;
  readonly #view: SeriesView;

  constructor(def: FamilyDefinition, view: SeriesView) {
    this.name = def.name;
    this.help = def.help;
    this.kind = def.kind;
    this.count = view.size;
    this.#view = view;
  }

  get samples(): Sample[] {
    return this.#view.samples();
  }

  chunks(constLabels: string): Iterable<string> {
    return this.#view.chunks(constLabels);
  }

  text(constLabels: string): string | undefined {
    return this.#view.text(constLabels);
  }
}
