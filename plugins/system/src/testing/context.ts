import {
  type CollectorContext,
  createHttpClient,
  type Gauge,
  type Info,
  type Labels,
  type MetricFactory,
  type MetricOptions,
  silentLogger,
} from '@muster/sdk';

/** A collector context outside muster, recording what `collect` writes as `name{labels} → value`. */
export interface FakeContext<Config> {
  readonly ctx: CollectorContext<Config>;
  readonly values: Map<string, number>;
}

const key = (name: string, labels: Labels): string =>
  `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;

const unused = (kind: string) => (): never => {
  throw new Error(`the system plugin declares no ${kind}`);
};

/** Builds a context for calling `plugin.create(ctx)` and `collect(signal)` directly. */
export function fakeContext<Config>(config: Config): FakeContext<Config> {
  const values = new Map<string, number>();
  const gauge = <L extends string>(options: MetricOptions<L>): Gauge<L> => {
    const set = (a: Labels<L> | number, b?: number): void => {
      if (typeof a === 'number') values.set(key(options.name, {}), a);
      else values.set(key(options.name, a), b ?? Number.NaN);
    };
    return { set, inc: unused('gauge.inc'), dec: unused('gauge.dec') };
  };
  const info = <L extends string>(options: MetricOptions<L>): Info<L> => ({
    set: (labels) => values.set(key(options.name, labels), 1),
  });
  const metrics: MetricFactory = {
    gauge,
    info,
    counter: unused('counter'),
    histogram: unused('histogram'),
    summary: unused('summary'),
    stateSet: unused('state set'),
  };
  const ctx: CollectorContext<Config> = {
    name: 'test',
    plugin: 'system',
    config,
    labels: {},
    timeoutMs: 5000,
    metrics,
    logger: silentLogger,
    http: createHttpClient({ timeoutMs: 5000, userAgent: 'test' }),
    signal: new AbortController().signal,
  };
  return { ctx, values };
}
