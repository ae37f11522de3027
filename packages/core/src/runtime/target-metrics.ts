import type { InstanceMetrics } from '../metrics/instance-metrics.js';
import type { TargetHealth } from './health.js';

/**
 * The backend verdict of every instance, beside the collector's own health: one alert rule over
 * `muster_target_healthy == 0` covers every plugin that states a verdict.
 */
export class TargetMetrics {
  readonly #healthy;
  readonly #reason;

  constructor(m: InstanceMetrics) {
    this.#healthy = m.gauge({
      name: 'muster_target_healthy',
      help: "The backend's own verdict from the instance's last cycle: 1 healthy, 0 unhealthy; absent when the plugin stated none (or the cycle failed for a reason of muster's or the plugin's own).",
      labelNames: ['collector'] as const,
    });
    this.#reason = m.gauge({
      name: 'muster_target_unhealthy_reason',
      help: 'Why the backend is unhealthy (a bounded kebab-case reason such as status-503 or connection-refused): 1 for the one reason, present only while unhealthy.',
      labelNames: ['collector', 'reason'] as const,
    });
  }

  /** Writes one instance's verdict (within a render cycle of the self metrics). */
  write(collector: string, target: TargetHealth | undefined): void {
    if (target === undefined) return;
    this.#healthy.set({ collector }, target.healthy ? 1 : 0);
    if (!target.healthy) this.#reason.set({ collector, reason: target.reason ?? 'unstated' }, 1);
  }
}
