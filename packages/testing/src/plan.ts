import { type InstancePlan, issuesFromZod, type OnFailure, resolveInstance } from '@muster/core';
import type { Plugin } from '@muster/sdk';

/** What {@link planOf} lets a test set; the rest takes the plugin's defaults, then muster's. */
export interface PlanOptions {
  /** Instance name; default `test`. */
  readonly name?: string;
  /** When it runs; default a schedule that never fires within a test (see {@link planOf}). */
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
 * A schedule that never fires within a test: the test drives cycles itself (`runtime.runOnce()`,
 * `harness.cycle()`), and scrapes never start one. Longer than any timeout a timer can hold, so
 * the resolver accepts every timeout.
 */
const NEVER = '36500d';

/**
 * The plan of one instance of `plugin` with `config`, as the exporter would run it: `config` is
 * checked and parsed by the plugin's schema (a config that does not validate throws, naming each
 * bad path), and the instance's settings go through core's one resolver, as a config file's do.
 */
export function planOf(plugin: Plugin, config: unknown, options: PlanOptions = {}): InstancePlan {
  const parsed = plugin.configSchema.safeParse(config ?? {}, { reportInput: true });
  if (!parsed.success) {
    const issues = issuesFromZod(parsed.error, ['config'], { schema: plugin.configSchema });
    throw new Error(`config does not validate: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
  const resolved = resolveInstance({
    name: options.name ?? 'test',
    use: options.pluginUrl ?? plugin.name,
    plugin,
    ...(options.pluginUrl === undefined ? {} : { pluginUrl: options.pluginUrl }),
    entry: {
      schedule: options.schedule ?? NEVER,
      timeout: options.timeout,
      labels: options.labels,
      onFailure: options.onFailure,
      maxSeries: options.maxSeries,
      isolation: options.isolation,
      workerMemoryMb: options.workerMemoryMb,
    },
    config: parsed.data,
  });
  if (resolved.issues !== undefined) {
    throw new Error(`options do not resolve: ${resolved.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return resolved.plan;
}
