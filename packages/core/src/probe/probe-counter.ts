import type { InstanceMetrics } from '../metrics/instance-metrics.js';
import type { ProbeLog } from './recent.js';

/** `muster_probes_total{module,result}`, re-stated from the probe log at each render. */
export class ProbeCounter {
  readonly #total;

  constructor(m: InstanceMetrics) {
    this.#total = m.counter({
      name: 'muster_probes_total',
      help: 'Probes (GET /probe) by module and result: success (the target is healthy) or failure.',
      labelNames: ['module', 'result'] as const,
      accumulate: false,
    });
  }

  /** Writes the totals of every module (within a render cycle of the self metrics). */
  write(log: ProbeLog | undefined, modules: readonly string[]): void {
    if (log === undefined) return;
    for (const module of modules) {
      const totals = log.totals(module);
      this.#total.inc({ module, result: 'success' }, totals.success);
      this.#total.inc({ module, result: 'failure' }, totals.failure);
    }
  }
}
