import type { Collector, Logger } from '@muster/sdk';
import type { InstancePlan } from '../config/plan.js';
import { RESERVED_LABELS } from '../config/schema.js';
import { createError, describeError, isMusterError } from '../errors.js';
import type { FamilyRegistry } from '../metrics/families.js';
import { InstanceMetrics } from '../metrics/instance-metrics.js';
import { InstanceContext } from './collector-context.js';
import { sourceText } from './containment.js';
import { type InstanceHealth, newHealth } from './health.js';
import { CycleHistory } from './history.js';
import { InstanceLogger } from './instance-logger.js';
import { runInScope, type ScopeOwner, type UnhandledSource } from './scope.js';
import { CycleSlot } from './slot.js';
import { WorkerCollector } from './worker/host.js';

/** The least time a collector's close() gets before the instance is closed without it. */
const CLOSE_GRACE_MIN_MS = 1000;

/** What the runner reads from an instance's metrics around a cycle (in-process or from a worker). */
export type CycleMetrics = Pick<InstanceMetrics, 'beginCycle' | 'invalidOutput' | 'snapshot' | 'release'>;

/** What an instance needs from its host. */
export interface InstanceHost {
  readonly families: FamilyRegistry;
  readonly logger: Logger;
  readonly userAgent: string;
  /** Turns error text into something safe to log (secrets removed). */
  readonly redact?: (text: string) => string;
}

/** One configured instance at run time: its plan, collector, metrics and health. */
export class Instance implements ScopeOwner {
  readonly plan: InstancePlan;
  readonly health: InstanceHealth = newHealth();
  /** The last cycles (start, duration, result, reason), for the status page. */
  readonly history = new CycleHistory();
  readonly logger: Logger;
  /** `collector` first, then the configured labels. */
  readonly constLabels: Readonly<Record<string, string>>;
  /** The instance name's one cycle slot; shared with the instance this one replaced on reload. */
  readonly slot: CycleSlot;
  metrics: CycleMetrics | undefined;
  collector: Collector | undefined;
  /** With `isolation: worker`: the host side of the plugin's worker thread. */
  #worker: WorkerCollector | undefined;
  readonly #host: InstanceHost;
  readonly #lifetime = new AbortController();
  #closed = false;

  constructor(plan: InstancePlan, host: InstanceHost, slot: CycleSlot = new CycleSlot()) {
    this.plan = plan;
    this.#host = host;
    this.slot = slot;
    this.logger = new InstanceLogger(host.logger, plan.name, plan.plugin.name);
    this.constLabels = plan.collectorLabel === false ? { ...plan.labels } : { collector: plan.name, ...plan.labels };
  }

  get name(): string {
    return this.plan.name;
  }

  /** The cycle in progress, if any (of this instance or of the one it replaced). */
  get running(): Promise<void> | undefined {
    return this.slot.running;
  }

  set running(cycle: Promise<void> | undefined) {
    this.slot.running = cycle;
  }

  /** A collect() that outlived its cycle and has not settled yet. */
  get straggler(): Promise<unknown> | undefined {
    return this.slot.running === undefined ? this.slot.collecting : undefined;
  }

  /**
   * Takes an error raised by this instance's plugin code that nobody handled: logged with the
   * instance and plugin, counted, and the current or next cycle fails with reason `unhandled`.
   */
  containUnhandled(error: unknown, source: UnhandledSource): void {
    const text = this.#redactText(describeError(error)).slice(0, 300);
    this.slot.unhandledTotal++;
    this.slot.pendingUnhandled ??= `${sourceText(source)} in the plugin's code: ${text}`;
    this.logger.error({ source, err: text, closed: this.#closed }, 'unhandled error in plugin code, contained; the cycle fails with reason unhandled');
  }

  /** Aborted when the instance closes. */
  get lifetimeSignal(): AbortSignal {
    return this.#lifetime.signal;
  }

  #redactText(text: string): string {
    return this.#host.redact === undefined ? text : this.#host.redact(text);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Creates the collector if it does not exist yet. Throws MUSTER_ERR_PLUGIN_CREATE (or a metric error). */
  async ensureCollector(): Promise<{ collector: Collector; metrics: CycleMetrics }> {
    if (this.plan.isolation === 'worker') return this.#ensureWorker();
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
    const ctx = new InstanceContext<unknown>({
      name: plan.name,
      plugin: plan.plugin.name,
      config: plan.config,
      labels: plan.labels,
      timeoutMs: plan.timeoutMs,
      metrics,
      logger: this.logger,
      userAgent: this.#host.userAgent,
      signal: this.#lifetime.signal,
    });
    let collector: Collector;
    try {
      collector = await runInScope(this, () => plan.plugin.create(ctx));
    } catch (err) {
      metrics.release();
      if (isMusterError(err, 'MUSTER_ERR_METRIC_INVALID', 'MUSTER_ERR_METRIC_CONFLICT')) throw err;
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

  /** Starts the plugin's worker unless it runs (a fresh one after a cycle cut off at its deadline). */
  async #ensureWorker(): Promise<{ collector: Collector; metrics: CycleMetrics }> {
    const { plan } = this;
    if (plan.pluginUrl === undefined) {
      throw createError('MUSTER_ERR_PLUGIN_CREATE', [plan.name, plan.plugin.name, 'isolation "worker" needs the module the plugin was loaded from']);
    }
    this.#worker ??= new WorkerCollector({
      init: {
        pluginUrl: plan.pluginUrl,
        name: plan.name,
        plugin: plan.plugin.name,
        config: plan.config,
        labels: plan.labels,
        timeoutMs: plan.timeoutMs,
        userAgent: this.#host.userAgent,
        reservedLabels: [...Object.keys(this.constLabels), ...RESERVED_LABELS],
        isolation: 'worker',
      },
      memoryMb: plan.workerMemoryMb ?? 256,
      families: this.#host.families,
      logger: this.logger,
      onUnhandled: (error, source) => this.containUnhandled(error, source),
    });
    const worker = this.#worker;
    try {
      await worker.start();
    } catch (err) {
      if (isMusterError(err, 'MUSTER_ERR_METRIC_INVALID', 'MUSTER_ERR_METRIC_CONFLICT')) throw err;
      throw createError('MUSTER_ERR_PLUGIN_CREATE', [plan.name, plan.plugin.name, describeError(err)], err);
    }
    if (this.#closed) {
      // Closed (a reload retired it) while its worker was starting: that worker must not outlive it.
      await worker.close();
      throw createError('MUSTER_ERR_SHUTTING_DOWN', []);
    }
    this.collector = worker;
    this.metrics = worker.metrics;
    return { collector: worker, metrics: worker.metrics };
  }

  /** Aborts work in progress and closes the collector; safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#lifetime.abort(createError('MUSTER_ERR_SHUTTING_DOWN', []));
    // A worker still starting is not the collector yet, but it is this instance's to end.
    const collector = this.collector ?? this.#worker;
    this.collector = undefined;
    try {
      if (collector?.close !== undefined) {
        const closing = Promise.resolve(runInScope(this, () => collector.close?.()));
        // A close() that never settles must not hold up a reload or the shutdown: it gets the
        // instance's timeout, then the instance is gone all the same.
        let timer: NodeJS.Timeout | undefined;
        const gaveUp = new Promise<'gave-up'>((resolve) => {
          timer = setTimeout(() => resolve('gave-up'), Math.max(this.plan.timeoutMs, CLOSE_GRACE_MIN_MS));
        });
        const outcome = await Promise.race([closing, gaveUp]).finally(() => clearTimeout(timer));
        if (outcome === 'gave-up') {
          closing.catch(() => undefined);
          this.logger.warn({ timeoutMs: Math.max(this.plan.timeoutMs, CLOSE_GRACE_MIN_MS) }, 'collector close() did not finish in time; the instance is closed without it');
        }
      }
    } catch (err) {
      this.logger.warn({ err: this.#redactText(describeError(err)) }, 'collector close() failed');
    }
    this.metrics?.release();
    this.metrics = undefined;
  }
}
