import { type Collector, createHttpClient, type Logger, type MetricFactory, type Plugin, underDeadline } from '@muster/sdk';

/** A handle whose every method does nothing: the direct baseline keeps no series. */
const noop: unknown = new Proxy(() => noop, { get: () => noop, apply: () => noop });
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

/**
 * The baseline: the plugin's collector created once and its `collect` called as it is, without
 * muster (no deadline, no commit, no rendering, no HTTP of muster's).
 */
export async function directCollector(plugin: Plugin, config: unknown, timeoutMs = 10_000): Promise<Collector> {
  const parsed = plugin.configSchema.parse(config);
  return plugin.create({
    name: 'direct',
    plugin: plugin.name,
    config: parsed,
    labels: {},
    timeoutMs,
    metrics: noop as MetricFactory,
    logger: silent,
    http: createHttpClient({ timeoutMs: underDeadline(timeoutMs), userAgent: 'bench' }),
    userAgent: 'bench',
    signal: new AbortController().signal,
  });
}
