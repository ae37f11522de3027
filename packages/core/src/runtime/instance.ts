import { type Collector, type CollectorContext, createHttpClient, type Logger, underDeadline } from '@muster/sdk';
import type { InstancePlan } from '../config/plan.js';
import { RESERVED_LABELS } from '../config/schema.js';
import { createError, describeError } from '../errors.js';
import type { FamilyRegistry } from '../metrics/families.js';
import { InstanceMetrics } from '../metrics/instance-metrics.js';
import { type InstanceHealth, newHealth } from './health.js';
import { CycleHistory } from './history.js';

/** What an instance needs from its host. */
export interface InstanceHost {
  readonly families: FamilyRegistry;
  readonly logger: Logger;
  readonly userAgent: string;
}

/** One configured instance at run time: its plan, collector, metrics and health. */
export class Instance {
  readonly plan: InstancePlan;
  readonly health: InstanceHealth = newHealth();
  /** The last cycles (start, duration, result, reason), for the status page. */
  readonly history = new CycleHistory();
  readonly logger: Logger;
  /** `collector` first, then the configured labels. */
  readonly constLabels: Readonly<Record<string, string>>;
  /** The cycle in progress, if any. */
  running: Promise<void> | undefined;
  /** A collect() that outlived its deadline and has not settled yet. */
  straggler: Promise<unknown> | undefined;
  metrics: InstanceMetrics | undefined;
  collector: Collector | undefined;
  readonly #host: InstanceHost;
  readonly #lifetime = new AbortController();
  #closed = false;

  constructor(plan: InstancePlan, host: InstanceHost) {
    this.plan = plan;
    this.#host = host;
    this.logger = host.logger.child({ collector: plan.name, plugin: plan.plugin.name });
    this.constLabels = { collector: plan.name, ...plan.labels };
  }

  get name(): string {
    return this.plan.name;
  }

  /** Aborted when the instance closes. */
  get lifetimeSignal(): AbortSignal {
    return this.#lifetime.signal;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Creates the collector if it does not exist yet. Throws MUSTER_ERR_PLUGIN_CREATE (or a metric error). */
  async ensureCollector(): Promise<{ collector: Collector; metrics: InstanceMetrics }> {
    if (this.collector !== undefined && this.metrics !== undefined) {
      return { collector: this.collector, metrics: this.metrics };
    }
    const { plan } = this;
    const metrics = new InstanceMetrics({
      instance: plan.name,
      plugin: plan.plugin.name,
      families: this.#host.families,
      // `instance` and `job` belong to Prometheus: a plugin may not declare them either.
      reservedLabels: new Set([...Object.keys(this.constLabels), ...RESERVED_LABELS]),
    });
    const ctx: CollectorContext<unknown> = {
      name: plan.name,
      plugin: plan.plugin.name,
      config: plan.config,
      labels: plan.labels,
      timeoutMs: plan.timeoutMs,
      metrics,
      logger: this.logger,
      // A little under the cycle deadline, so a hanging request reaches the collector as got's
      // TimeoutError (a result it can report) before the cycle itself is cut off.
      http: createHttpClient({ timeoutMs: underDeadline(plan.timeoutMs), userAgent: this.#host.userAgent }),
      signal: this.#lifetime.signal,
    };
    let collector: Collector;
    try {
      collector = await plan.plugin.create(ctx);
    } catch (err) {
      metrics.release();
      if (err instanceof Error && 'code' in err && String(err.code).startsWith('MUSTER_ERR_METRIC')) throw err;
      throw createError('MUSTER_ERR_PLUGIN_CREATE', [plan.name, plan.plugin.name, describeError(err)], err);
    }
    if (collector === null || typeof collector !== 'object' || typeof collector.collect !== 'function') {
      metrics.release();
      throw createError('MUSTER_ERR_PLUGIN_CREATE', [plan.name, plan.plugin.name, 'create() must return an object with a collect() method']);
    }
    this.collector = collector;
    this.metrics = metrics;
    return { collector, metrics };
  }

  /** Aborts work in progress and closes the collector; safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#lifetime.abort(createError('MUSTER_ERR_SHUTTING_DOWN', []));
    const collector = this.collector;
    this.collector = undefined;
    try {
      await collector?.close?.();
    } catch (err) {
      this.logger.warn({ err: describeError(err) }, 'collector close() failed');
    }
    this.metrics?.release();
    this.metrics = undefined;
  }
}
