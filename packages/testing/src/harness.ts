import type { Logger, Plugin } from '@muster/sdk';
import {
  createCoreContainer,
  type ExpositionFormat,
  type InstanceHealth,
  issuesFromZod,
  resolveInstance,
  Runtime,
} from '@muster/core';
import { type ParsedExposition, parseExposition } from './parse.js';

/**
 * The harness's schedule: an interval longer than any timeout a timer can hold, so that the
 * resolver accepts every timeout; the harness drives cycles itself and never starts the scheduler.
 */
const NEVER = '36500d';

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

/** One plugin instance, driven cycle by cycle. */
export interface Harness {
  /**
   * Runs one cycle and returns the health and the committed series. `deadlineMs` cuts this
   * cycle's deadline short, to see how the collector behaves when it times out.
   */
  cycle(options?: { deadlineMs?: number }): Promise<CycleResult>;
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
  const parsed = plugin.configSchema.safeParse(config ?? {}, { reportInput: true });
  if (!parsed.success) {
    const issues = issuesFromZod(parsed.error, ['config'], { schema: plugin.configSchema });
    throw new Error(`config does not validate: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
  // A schedule that never fires: the harness drives cycles itself, and scrapes never start one.
  const resolved = resolveInstance({
    name: options.name ?? 'test',
    use: plugin.name,
    plugin,
    entry: { schedule: NEVER, timeout: options.timeout, labels: options.labels, onFailure: options.onFailure, maxSeries: options.maxSeries },
    config: parsed.data,
  });
  if (resolved.issues !== undefined) {
    throw new Error(`options do not resolve: ${resolved.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const instance = resolved.plan;
  const container = createCoreContainer({
    logger: makeLogger(options.log),
    build: { version: '0.0.0-test' },
    plugins: { builtins: {}, hostUrls: [] },
  });
  const runtime = container.resolve(Runtime);
  runtime.load({
    filepath: '(test)',
    server: { host: '127.0.0.1', port: 0, metricsPath: '/metrics', requestTimeoutMs: 30_000 },
    instances: [instance],
    secrets: new Set(),
  });
  const only = runtime.instances[0];
  if (only === undefined) throw new Error('no instance');
  return {
    async cycle(cycleOptions: { deadlineMs?: number } = {}) {
      await runtime.runOnce(cycleOptions);
      const own = await runtime.exposition('text', { collector: instance.name });
      return { health: { ...only.health, runs: { ...only.health.runs } }, exposition: parseExposition(own.body) };
    },
    async text(format: ExpositionFormat = 'text') {
      return (await runtime.exposition(format)).body;
    },
    close: () => runtime.stop(),
  };
}
