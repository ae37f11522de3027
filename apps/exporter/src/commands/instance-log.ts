import type { InstancePlan } from '@muster/core';
import type { pino } from 'pino';

/** Up to this many instances, start-up logs one `instance configured` line for each at info. */
export const INSTANCES_LOGGED_EACH = 100;

/**
 * Logs the configured instances at start: one `instance configured` line each (plugin, schedule,
 * timeout, labels; never the config). Past {@link INSTANCES_LOGGED_EACH} instances the lines go to
 * the debug level and info gets one `instances configured` line counting them by plugin and
 * schedule: 10,000 lines would cost a large config's start about a third of a second, and bury
 * the other lines.
 */
export function logConfiguredInstances(logger: pino.Logger, instances: readonly InstancePlan[]): void {
  const each = instances.length <= INSTANCES_LOGGED_EACH ? 'info' : 'debug';
  if (each === 'debug') {
    const byPlugin: Record<string, number> = {};
    const bySchedule: Record<string, number> = {};
    for (const i of instances) {
      byPlugin[i.plugin.name] = (byPlugin[i.plugin.name] ?? 0) + 1;
      bySchedule[i.schedule.text] = (bySchedule[i.schedule.text] ?? 0) + 1;
    }
    logger.info({ instances: instances.length, byPlugin, bySchedule }, `instances configured (one line each at --log-level debug)`);
  }
  if (!logger.isLevelEnabled(each)) return;
  for (const i of instances) {
    logger[each](
      {
        collector: i.name,
        plugin: i.plugin.name,
        schedule: i.schedule.text,
        timeoutMs: i.timeoutMs,
        ...(i.timeoutClampedFrom === undefined ? {} : { timeoutClampedFrom: i.timeoutClampedFrom }),
        labels: i.labels,
      },
      'instance configured',
    );
  }
}
