import type { Logger, Plugin } from '@muster/sdk';
import { type ExpositionFormat, Host, type InstanceHealth } from '@muster/core';
import { type ParsedExposition, parseExposition } from './parse.js';
import { planOf } from './plan.js';

/** Options of {@link createHarness}. */
export interface HarnessOptions {
  /** Instance name; default `test`. */
  readonly name?: string;
  /** Cycle deadline, e.g. `2s`; default the plugin's default or `10s`. */
  readonly timeout?: string;
  /** Extra instance labels. */
  readonly labels?: Record<string, string>;
  /** `drop` (default) or `keep`. */
  readonly onFailure?: 'drop' | 'keep';
  /** Series cap; default 10000. */
  readonly maxSeries?: number;
  /** Receives log lines; default: dropped. */
  readonly log?: (level: string, fields: Record<string, unknown>, message?: string) => void;
}

/** What one cycle left behind. */
export interface CycleResult {
  readonly health: InstanceHealth;
  /** The instance's committed series, parsed (without muster's self metrics). */
  readonly exposition: ParsedExposition;
}

/** What one direct {@link Harness.collect} call did. */
export interface CollectOutcome {
  /** How `collect(signal)` settled: fulfilled with what it returned, or rejected with its reason. */
  readonly settled: PromiseSettledResult<unknown>;
  /**
   * Series the instance's metrics hold after the call: what it wrote (current-state metrics are
   * emptied before it), plus the series accumulating metrics keep from earlier cycles.
   */
  readonly series: number;
}

/** One plugin instance, driven cycle by cycle. */
export interface Harness {
  /**
   * Runs one cycle and returns the health and the committed series. `deadlineMs` cuts this
   * cycle's deadline short, to see how the collector behaves when it times out.
   */
  cycle(options?: { deadlineMs?: number }): Promise<CycleResult>;
  /**
   * Calls the collector's `collect(signal)` once, directly, with a signal the test controls, as
   * muster's runner calls it but without its deadline, output checks or commit: for testing that
   * the plugin's I/O honours the cycle's signal. Once the collector exists (after a first
   * `cycle()` or `collect()`), `collect(signal)` is called before this method returns, so a test
   * can abort the signal right after the call, while the collector's first I/O is in flight.
   */
  collect(signal: AbortSignal): Promise<CollectOutcome>;
  /** The full exposition text (instance series and self metrics). */
  text(format?: ExpositionFormat): Promise<string>;
  /** Closes the collector. */
  close(): Promise<void>;
}

function makeLogger(sink: HarnessOptions['log'], fields: Record<string, unknown> = {}): Logger {
  const at =
    (level: string) =>
    (a: string | Record<string, unknown>, b?: string): void => {
      if (sink === undefined) return;
      if (typeof a === 'string') sink(level, fields, a);
      else sink(level, { ...fields, ...a }, b);
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => makeLogger(sink, { ...fields, ...more }),
  };
}

/**
 * Runs `plugin` with `config` as a single instance, outside the exporter: validation, metric
 * checks, deadlines and commits are the exporter's own. Throws when `config` does not validate.
 */
export async function createHarness(plugin: Plugin, config: unknown, options: HarnessOptions = {}): Promise<Harness> {
  // Name, timeout, labels, onFailure and maxSeries are the plan's own options.
  const instance = planOf(plugin, config, options);
  // Core composed as every host composes it (the exporter, @muster/app), with this one plan. Log
  // fields reach the test as the plugin wrote them: a plan without secrets has nothing to redact.
  const host = new Host({ logger: makeLogger(options.log), loggerRedactsLines: true, version: '0.0.0-test', builtins: {}, resolveFrom: [] });
  host.load({
    filepath: '(test)',
    server: { host: '127.0.0.1', port: 0, metricsPath: '/metrics', requestTimeoutMs: 30_000 },
    instances: [instance],
    secrets: new Set(),
  });
  const { runtime } = host;
  const only = runtime.instances[0];
  if (only === undefined) throw new Error('no instance');
  return {
    async cycle(cycleOptions: { deadlineMs?: number } = {}) {
      await runtime.runOnce(cycleOptions);
      const own = await runtime.exposition('text', { collector: instance.name });
      return { health: { ...only.health, runs: { ...only.health.runs } }, exposition: parseExposition(own.body) };
    },
    collect(signal: AbortSignal) {
      const call = ({ collector, metrics }: Awaited<ReturnType<typeof only.ensureCollector>>): Promise<CollectOutcome> => {
        metrics.beginCycle();
        // The executor runs at once: collect() starts before the caller's next statement.
        const work = new Promise((resolve) => resolve(collector.collect(signal)));
        return Promise.allSettled([work]).then(async ([settled]) => ({
          settled: settled as PromiseSettledResult<unknown>,
          series: (await metrics.snapshot()).reduce((n, family) => n + (family.count ?? family.samples.length), 0),
        }));
      };
      const { collector, metrics } = only;
      return collector !== undefined && metrics !== undefined ? call({ collector, metrics }) : only.ensureCollector().then(call);
    },
    async text(format: ExpositionFormat = 'text') {
      return (await runtime.exposition(format)).body;
    },
    close: () => host.close(),
  };
}
