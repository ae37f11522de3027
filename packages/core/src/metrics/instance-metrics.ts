import type {
  Counter,
  Gauge,
  Histogram,
  HistogramOptions,
  Info,
  Labels,
  MetricFactory,
  MetricOptions,
  StateSet,
  StateSetOptions,
  Summary,
  SummaryOptions,
} from '@muster/sdk';
import * as prom from 'prom-client';
import { createError, MusterError } from '../errors.js';
import type { FamilyRegistry } from './families.js';
import { checkLabelNames, checkMetricName } from './names.js';
import type { FamilyDefinition, FamilySnapshot, MetricKind, Sample } from './types.js';

type AnyLabels = Record<string, string | number>;

interface Declared {
  readonly def: FamilyDefinition;
  readonly metric: prom.Metric<string>;
  readonly accumulate: boolean;
  /** Written since the cycle began (prom-client reports an unlabelled metric as 0 even when not). */
  written: boolean;
  /** State set: the label holding the state. */
  readonly stateLabel?: string;
}

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
 * One instance's metrics: the {@link MetricFactory} its collector writes through, on a private
 * prom-client registry (never the global one). Current-state metrics are emptied by
 * {@link beginCycle}; {@link snapshot} copies the values for the store to commit.
 */
export class InstanceMetrics implements MetricFactory {
  readonly registry = new prom.Registry();
  readonly #declared: Declared[] = [];
  readonly #byName = new Map<string, Declared>();
  readonly #options: InstanceMetricsOptions;
  #invalid: MusterError | undefined;

  constructor(options: InstanceMetricsOptions) {
    this.#options = options;
  }

  /** The first invalid write of the current cycle, if any (the cycle then fails). */
  get invalidOutput(): MusterError | undefined {
    return this.#invalid;
  }

  /** Starts a cycle: current-state metrics are emptied, accumulating ones kept. */
  beginCycle(): void {
    this.#invalid = undefined;
    for (const d of this.#declared) {
      d.written = false;
      if (!d.accumulate) d.metric.reset();
    }
  }

  /** Copies every family's current values. */
  async snapshot(): Promise<FamilySnapshot[]> {
    const out: FamilySnapshot[] = [];
    for (const metric of await this.registry.getMetricsAsJSON()) {
      const declared = this.#byName.get(metric.name);
      // A current-state metric the cycle did not write has no value this cycle.
      if (declared !== undefined && !declared.accumulate && !declared.written) continue;
      const kind: MetricKind = declared?.def.kind ?? (String(metric.type) as MetricKind);
      const samples: Sample[] = [];
      for (const v of metric.values as { value: number; labels: AnyLabels; metricName?: string }[]) {
        const labels: Record<string, string> = {};
        for (const key in v.labels) {
          const value = v.labels[key];
          if (value !== undefined) labels[key] = typeof value === 'number' ? formatLabelNumber(value) : value;
        }
        samples.push({ name: v.metricName ?? metric.name, labels, value: v.value });
      }
      out.push({ name: metric.name, help: declared?.def.help ?? metric.help, kind, samples });
    }
    return out;
  }

  /** Forgets this instance's family declarations (on close). */
  release(): void {
    this.#options.families.release(this.#options.instance);
    this.registry.clear();
  }

  gauge<L extends string = never>(options: MetricOptions<L>): Gauge<L> {
    const { metric } = this.#declare(options, 'gauge', false, (cfg) => new prom.Gauge(cfg));
    const g = metric as prom.Gauge<string>;
    return {
      set: (a: Labels<L> | number, b?: number) => this.#write(options.name, options.labelNames, a, b, (l, v) => g.set(l, v)),
      inc: (a?: Labels<L> | number, b?: number) => this.#write(options.name, options.labelNames, a ?? 1, b ?? 1, (l, v) => g.inc(l, v)),
      dec: (a?: Labels<L> | number, b?: number) => this.#write(options.name, options.labelNames, a ?? 1, b ?? 1, (l, v) => g.dec(l, v)),
    } as Gauge<L>;
  }

  counter<L extends string = never>(options: MetricOptions<L>): Counter<L> {
    const { metric } = this.#declare(options, 'counter', true, (cfg) => new prom.Counter(cfg));
    const c = metric as prom.Counter<string>;
    return {
      inc: (a?: Labels<L> | number, b?: number) =>
        this.#write(options.name, options.labelNames, a ?? 1, b ?? 1, (l, v) => {
          if (v < 0) throw new Error(`counter "${options.name}" cannot go down (inc by ${v})`);
          c.inc(l, v);
        }),
    } as Counter<L>;
  }

  histogram<L extends string = never>(options: HistogramOptions<L>): Histogram<L> {
    const buckets = options.buckets === undefined ? undefined : [...options.buckets];
    if (buckets !== undefined) {
      for (let i = 1; i < buckets.length; i++) {
        if (!((buckets[i] as number) > (buckets[i - 1] as number))) {
          throw this.#metricError(`histogram "${options.name}": buckets must be strictly ascending`);
        }
      }
    }
    const { metric } = this.#declare(options, 'histogram', true, (cfg) =>
      new prom.Histogram(buckets === undefined ? cfg : { ...cfg, buckets }),
    );
    return this.#observer(options, metric as prom.Histogram<string>) as Histogram<L>;
  }

  summary<L extends string = never>(options: SummaryOptions<L>): Summary<L> {
    const { metric } = this.#declare(options, 'summary', true, (cfg) =>
      new prom.Summary({
        ...cfg,
        ...(options.percentiles === undefined ? {} : { percentiles: [...options.percentiles] }),
        ...(options.maxAgeSeconds === undefined ? {} : { maxAgeSeconds: options.maxAgeSeconds }),
        ...(options.ageBuckets === undefined ? {} : { ageBuckets: options.ageBuckets }),
      }),
    );
    return this.#observer(options, metric as prom.Summary<string>) as Summary<L>;
  }

  stateSet<L extends string = never, S extends string = string>(options: StateSetOptions<L, S>): StateSet<L, S> {
    if (options.states.length === 0 || new Set(options.states).size !== options.states.length) {
      throw this.#metricError(`state set "${options.name}": states must be a non-empty list without repeats`);
    }
    const states = [...options.states];
    const stateLabel = options.name;
    const { metric } = this.#declare(options, 'stateset', false, (cfg) =>
      new prom.Gauge({ ...cfg, labelNames: [...(cfg.labelNames ?? []), stateLabel] }),
    );
    const g = metric as prom.Gauge<string>;
    const set = (a: Labels<L> | S, b?: S) => {
      const labels = (typeof a === 'object' ? a : {}) as AnyLabels;
      const state = (typeof a === 'object' ? b : a) as S;
      this.#write(options.name, options.labelNames, labels, 0, (l) => {
        if (!states.includes(state)) {
          throw new Error(`state set "${options.name}": "${String(state)}" is not one of ${states.join(', ')}`);
        }
        for (const s of states) g.set({ ...l, [stateLabel]: s }, s === state ? 1 : 0);
      });
    };
    return { set } as StateSet<L, S>;
  }

  info<L extends string = never>(options: MetricOptions<L>): Info<L> {
    const { metric } = this.#declare(options, 'info', false, (cfg) => new prom.Gauge(cfg));
    const g = metric as prom.Gauge<string>;
    return {
      set: (labels: Labels<L>) => this.#write(options.name, options.labelNames, labels, 1, (l) => g.set(l, 1)),
    } as Info<L>;
  }

  #observer(options: MetricOptions<string>, metric: prom.Histogram<string> | prom.Summary<string>) {
    const observe = (a: Labels<string> | number, b?: number) =>
      this.#write(options.name, options.labelNames, a, b, (l, v) => metric.observe(l, v));
    const startTimer = (labels?: Labels<string>) => {
      const start = process.hrtime.bigint();
      return (endLabels?: Labels<string>) => {
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        observe({ ...(labels ?? {}), ...(endLabels ?? {}) } as Labels<string>, seconds);
        return seconds;
      };
    };
    return { observe, startTimer };
  }

  #declare(
    options: MetricOptions<string>,
    kind: MetricKind,
    accumulateByDefault: boolean,
    make: (cfg: prom.MetricConfiguration<string>) => prom.Metric<string>,
  ): Declared {
    const { instance, plugin, families, reservedLabels, system } = this.#options;
    if (typeof options?.name !== 'string' || typeof options.help !== 'string' || options.help.trim() === '') {
      throw this.#metricError(`a ${kind} needs a "name" and a non-empty "help"`);
    }
    const labelNames = [...(options.labelNames ?? [])];
    const problem =
      checkMetricName(options.name, kind, options.legacyName === true) ?? checkLabelNames(options.name, kind, labelNames, reservedLabels);
    if (problem !== undefined) throw this.#metricError(problem);
    if (this.#declared.some((d) => d.def.name === options.name)) {
      throw this.#metricError(`metric "${options.name}" is declared twice`);
    }
    const def: FamilyDefinition = { name: options.name, help: options.help, kind, labelNames, owner: plugin };
    families.declare(def, instance, system);
    const metric = make({ name: options.name, help: options.help, labelNames, registers: [this.registry] });
    const declared: Declared = { def, metric, accumulate: options.accumulate ?? accumulateByDefault, written: false };
    this.#declared.push(declared);
    this.#byName.set(declared.def.name, declared);
    return declared;
  }

  /** Normalises (labels, value) arguments, checks them, and applies `apply`; bad writes mark the cycle invalid. */
  #write(
    name: string,
    labelNames: readonly string[] | undefined,
    a: Labels<string> | number | undefined,
    b: number | undefined,
    apply: (labels: Record<string, string>, value: number) => void,
  ): void {
    const hasLabels = typeof a === 'object' && a !== null;
    const raw = (hasLabels ? a : {}) as Record<string, unknown>;
    const value = hasLabels ? b : a;
    try {
      if (typeof value !== 'number') throw new Error(`metric "${name}": expected a number value, found ${typeof value}`);
      const expected = labelNames ?? [];
      const labels: Record<string, string> = {};
      for (const key of Object.keys(raw)) {
        if (!expected.includes(key)) {
          throw new Error(`metric "${name}": label "${key}" is not declared (declared: ${expected.join(', ') || 'none'})`);
        }
        const v = raw[key];
        if (typeof v !== 'string' && typeof v !== 'number') {
          throw new Error(`metric "${name}": label "${key}" must be a string or number, found ${typeof v}`);
        }
        labels[key] = typeof v === 'number' ? formatLabelNumber(v) : v;
      }
      for (const key of expected) {
        if (!(key in labels)) throw new Error(`metric "${name}": label "${key}" is missing`);
      }
      apply(labels, value);
      const declared = this.#byName.get(name);
      if (declared !== undefined) declared.written = true;
    } catch (err) {
      const error = createError('MUSTER_ERR_INVALID_OUTPUT', [this.#options.instance, (err as Error).message]);
      this.#invalid ??= error;
      throw error;
    }
  }

  #metricError(message: string): MusterError {
    return createError('MUSTER_ERR_METRIC_INVALID', [this.#options.instance, message]);
  }
}

function formatLabelNumber(n: number): string {
  if (n === Number.POSITIVE_INFINITY) return '+Inf';
  if (n === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(n);
}
