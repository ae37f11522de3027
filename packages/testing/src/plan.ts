import { DEFAULTS, type InstancePlan, issuesFromZod, type OnFailure, parseDuration, parseSchedule } from '@muster/core';
import type { Plugin } from '@muster/sdk';

/** What {@link planOf} lets a test set; the rest takes the plugin's defaults, then muster's. */
export interface PlanOptions {
  /** Instance name; default `test`. */
  readonly name?: string;
  /**
   * When it runs; default `24h`, a schedule that never fires within a test: the test drives
   * cycles itself (`runtime.runOnce()`, `harness.cycle()`), and scrapes never start one.
   */
  readonly schedule?: string;
  /** Cycle deadline, e.g. `2s`; default the plugin's default, else muster's `10s`. */
  readonly timeout?: string;
  /** Extra instance labels. */
  readonly labels?: Readonly<Record<string, string>>;
  /** `drop` (default) or `keep`. */
  readonly onFailure?: OnFailure;
  /** Series cap; default 10000. */
  readonly maxSeries?: number;
  /** `in-process` (default) or `worker`; `worker` needs `pluginUrl`. */
  readonly isolation?: 'in-process' | 'worker';
  /** With worker isolation: the worker's heap limit in MiB. */
  readonly workerMemoryMb?: number;
  /** The module the plugin is loaded from (a worker imports it again). */
  readonly pluginUrl?: string;
}

/**
 * The plan of one instance of `plugin` with `config`, as the exporter would run it: `config` is
 * checked and parsed by the plugin's schema (a config that does not validate throws, naming each
 * bad path), durations and the schedule are parsed as in a config file.
 */
export function planOf(plugin: Plugin, config: unknown, options: PlanOptions = {}): InstancePlan {
  const parsed = plugin.configSchema.safeParse(config ?? {}, { reportInput: true });
  if (!parsed.success) {
    const issues = issuesFromZod(parsed.error, ['config'], { schema: plugin.configSchema });
    throw new Error(`config does not validate: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
  const timeoutText = options.timeout ?? plugin.defaults?.timeout ?? DEFAULTS.timeout;
  const timeoutMs = parseDuration(timeoutText);
  if (timeoutMs === undefined) throw new Error(`timeout "${timeoutText}" is not a duration`);
  const schedule = parseSchedule(options.schedule ?? '24h');
  if (typeof schedule === 'string') throw new Error(schedule);
  const name = options.name ?? 'test';
  return {
    name,
    use: options.pluginUrl ?? plugin.name,
    plugin,
    schedule,
    timeoutMs,
    jitterMs: 0,
    labels: options.labels ?? {},
    onFailure: options.onFailure ?? DEFAULTS.onFailure,
    maxSeries: options.maxSeries ?? DEFAULTS.maxSeries,
    ...(options.isolation === undefined ? {} : { isolation: options.isolation }),
    ...(options.workerMemoryMb === undefined ? {} : { workerMemoryMb: options.workerMemoryMb }),
    ...(options.pluginUrl === undefined ? {} : { pluginUrl: options.pluginUrl }),
    config: parsed.data,
    fingerprint: `${name}-${options.isolation ?? 'in-process'}`,
  };
}
