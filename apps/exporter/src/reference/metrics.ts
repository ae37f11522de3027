import { createHttpClient, type MetricFactory, type Plugin, parseDuration, silentLogger } from '@muster/sdk';
import { cloneJson, exampleConfig, setAt } from './example-config.js';
import { type JsonSchema, pluginConfigJsonSchema } from './json-schema.js';

/** The kinds of metric a plugin declares. */
export type MetricKind = 'gauge' | 'counter' | 'histogram' | 'summary' | 'stateset' | 'info';

/** One metric as a plugin declares it in `create(ctx)`. */
export interface DeclaredMetric {
  readonly name: string;
  readonly kind: MetricKind;
  readonly help: string;
  readonly labelNames: readonly string[];
  /** The states of a state set. */
  readonly states?: readonly string[];
  /** Kept across cycles (`true`) or rebuilt every cycle. */
  readonly accumulate: boolean;
}

/** A metric of the reference: declared with the default config, or only with some options. */
export interface DocumentedMetric extends DeclaredMetric {
  /** Options that add this metric (`perCpu: true`); empty when it is there by default. */
  readonly onlyWith: readonly string[];
  /** Options that remove it (`memory: false`). */
  readonly offWith: readonly string[];
  /** Labels some options add (`folder` with `byFolder: true`). */
  readonly extraLabels: readonly { readonly label: string; readonly option: string }[];
}

const ACCUMULATES_BY_DEFAULT: Readonly<Record<MetricKind, boolean>> = {
  gauge: false,
  stateset: false,
  info: false,
  counter: true,
  histogram: true,
  summary: true,
};

/** A MetricFactory that records declarations and ignores writes. */
function recordingFactory(into: DeclaredMetric[]): MetricFactory {
  const handle = {
    set() {},
    inc() {},
    dec() {},
    observe() {},
    startTimer: () => () => 0,
  };
  const record =
    (kind: MetricKind) =>
    (options: { name: string; help: string; labelNames?: readonly string[]; accumulate?: boolean; states?: readonly string[] }) => {
      into.push({
        name: options.name,
        kind,
        help: options.help,
        labelNames: [...(options.labelNames ?? [])],
        ...(options.states === undefined ? {} : { states: [...options.states] }),
        accumulate: options.accumulate ?? ACCUMULATES_BY_DEFAULT[kind],
      });
      return handle;
    };
  return {
    gauge: record('gauge'),
    counter: record('counter'),
    histogram: record('histogram'),
    summary: record('summary'),
    stateSet: record('stateset'),
    info: record('info'),
  } as unknown as MetricFactory;
}

/**
 * The metrics `plugin` declares for `config`: calls `create(ctx)` with a recording metric factory
 * and closes the collector at once. `collect` is never called, so no backend is needed.
 */
export async function declaredMetrics(plugin: Plugin, config: unknown): Promise<DeclaredMetric[]> {
  const declared: DeclaredMetric[] = [];
  const timeoutMs = parseDuration(plugin.defaults?.timeout ?? '10s') ?? 10_000;
  const lifetime = new AbortController();
  const collector = await plugin.create({
    name: 'docs',
    plugin: plugin.name,
    config: plugin.configSchema.parse(config),
    labels: {},
    timeoutMs,
    metrics: recordingFactory(declared),
    logger: silentLogger,
    // Made only when a plugin reads it: the docs of a plugin without HTTP do not load got.
    get http() {
      return createHttpClient({ timeoutMs, userAgent: 'muster-docs' });
    },
    userAgent: 'muster-docs',
    signal: lifetime.signal,
  });
  lifetime.abort();
  await collector.close?.();
  return declared;
}

/** Paths of the boolean options of a config schema, with their defaults. */
function booleanOptions(json: JsonSchema, prefix: string[] = []): { path: string[]; fallback: boolean }[] {
  const out: { path: string[]; fallback: boolean }[] = [];
  const props = json.properties as Record<string, JsonSchema> | undefined;
  for (const [key, prop] of Object.entries(props ?? {})) {
    if (prop.type === 'boolean') out.push({ path: [...prefix, key], fallback: prop.default === true });
    else if (prop.type === 'object' && prop.properties !== undefined) out.push(...booleanOptions(prop, [...prefix, key]));
  }
  return out;
}

/**
 * Every metric a plugin can export, for its reference page: those declared with the default
 * config, plus those each boolean option adds or removes when flipped from its default.
 */
export async function documentedMetrics(plugin: Plugin): Promise<DocumentedMetric[]> {
  const json = pluginConfigJsonSchema(plugin);
  const example = exampleConfig(plugin, json);
  if (!example.valid) throw new Error(`plugin ${plugin.name}: no valid example config could be made`);
  const base = await declaredMetrics(plugin, example.value);
  const byName = new Map<string, { metric: DeclaredMetric; onlyWith: string[]; offWith: string[]; extraLabels: { label: string; option: string }[] }>();
  for (const metric of base) byName.set(metric.name, { metric, onlyWith: [], offWith: [], extraLabels: [] });
  for (const option of booleanOptions(json)) {
    const config = cloneJson(example.value);
    setAt(config, option.path, !option.fallback);
    if (!plugin.configSchema.safeParse(config).success) continue;
    const flipped = await declaredMetrics(plugin, config);
    const setting = `${option.path.join('.')}: ${!option.fallback}`;
    for (const metric of flipped) {
      const known = byName.get(metric.name);
      if (known === undefined) byName.set(metric.name, { metric, onlyWith: [setting], offWith: [], extraLabels: [] });
      else {
        if (known.onlyWith.length > 0 && !known.onlyWith.includes(setting)) known.onlyWith.push(setting);
        for (const label of metric.labelNames) {
          if (!known.metric.labelNames.includes(label) && !known.extraLabels.some((e) => e.label === label)) {
            known.extraLabels.push({ label, option: setting });
          }
        }
      }
    }
    for (const metric of base) {
      if (!flipped.some((m) => m.name === metric.name)) byName.get(metric.name)?.offWith.push(setting);
    }
  }
  return [...byName.values()].map(({ metric, onlyWith, offWith, extraLabels }) => ({ ...metric, onlyWith, offWith, extraLabels }));
}
