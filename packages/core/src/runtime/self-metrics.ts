import type { InstancePlan } from '../config/plan.js';
import { FamilyRegistry } from '../metrics/families.js';
import { InstanceMetrics } from '../metrics/instance-metrics.js';
import type { ExpositionFormat } from '../metrics/exposition/format.js';
import { renderFamiliesInSlices, Slicer } from '../metrics/exposition/sliced.js';
import { FAILURE_REASONS, type InstanceHealth } from './health.js';
import type { UnhandledSource } from './scope.js';
import type { CycleSlot } from './slot.js';
import { ProcessMetrics } from './process-metrics.js';
import { TargetMetrics } from './target-metrics.js';
import { ProbeCounter } from '../probe/probe-counter.js';
import type { ProbeLog } from '../probe/recent.js';

/** Every value of the failure-reason label: "none" while up, else why the last cycle failed. */
const REASON_STATES = ['none', ...FAILURE_REASONS] as const;

/**
 * muster's own series per instance: `standard` (the default) within a budget of 12, `full` with
 * every failure reason, runs by result (3), unhandled errors and stall time.
 */
export const SELF_SERIES_PER_INSTANCE = { standard: 8, full: 8 + FAILURE_REASONS.length + 3 + 2 } as const;

/** What the render reads of an instance. */
type RenderedInstance = { readonly plan: InstancePlan; readonly health: InstanceHealth; readonly slot?: CycleSlot };

/** Build facts for `muster_build_info`. */
export interface BuildInfo {
  readonly version: string;
}

/**
 * The exporter's own metrics: a health set per instance (the same for every instance, so a stale
 * or failing one is told apart by its values, never by missing series), build info and the process and Node.js metrics ({@link ProcessMetrics}). Per instance, the standard set is 8 series (up, last success,
 * duration, consecutive failures, the current failure reason, series, overrun, info), plus the
 * backend's verdict (1 series, 2 while unhealthy) when the plugin states one; `selfMetrics: full`
 * adds every other failure reason at 0, runs by result, unhandled errors and stall time.
 */
export class SelfMetrics {
  readonly families: FamilyRegistry;
  readonly #metrics: InstanceMetrics;
  readonly #up;
  readonly #lastSuccess;
  readonly #duration;
  readonly #failures;
  readonly #reason;
  readonly #runs;
  readonly #series;
  readonly #info;
  readonly #unhandled;
  readonly #stall;
  readonly #overrun;
  readonly #targets: TargetMetrics;
  readonly #probes: ProbeCounter;
  /** The process and Node.js runtime metrics (and the event-loop delay sampling). */
  readonly process: ProcessMetrics;
  /** The probe log whose totals `muster_probes_total` states. */
  probes: ProbeLog | undefined;
  /** The modules whose totals are stated (those of the plan in force). */
  modules: () => readonly string[] = () => [];
  /** Counts an unhandled error no instance can be blamed for (muster_unattributed_errors_total). */
  readonly recordUnattributed: (source: UnhandledSource) => void;
  /** Records a reload attempt (muster_config_last_reload_successful, …_success_timestamp_seconds). */
  readonly recordReload: (successful: boolean) => void;
  /** Records a web config change (muster_web_config_reloads_total, muster_web_config_last_reload_successful). */
  readonly recordWebConfigReload: (successful: boolean) => void;

  constructor(families: FamilyRegistry, build: BuildInfo) {
    this.families = families;
    const m = new InstanceMetrics({ instance: 'muster', plugin: 'muster', families, reservedLabels: new Set(), system: true });
    this.#metrics = m;
    const collector = ['collector'] as const;
    this.#up = m.gauge({ name: 'muster_collector_up', help: 'Whether the instance\'s last cycle succeeded (1) or failed (0).', labelNames: collector });
    this.#lastSuccess = m.gauge({
      name: 'muster_collector_last_success_timestamp_seconds',
      help: 'Unix time when the instance\'s last successful cycle ended; 0 before the first.',
      labelNames: collector,
    });
    this.#duration = m.gauge({ name: 'muster_collector_duration_seconds', help: 'How long the instance\'s last cycle took, in seconds.', labelNames: collector });
    this.#failures = m.gauge({
      name: 'muster_collector_consecutive_failures',
      help: 'Cycles of the instance that failed in a row since its last success.',
      labelNames: collector,
    });
    // A gauge, not a state set: with `selfMetrics: standard` only the current reason is exported
    // (one series), with `full` every reason at 0 or 1. Queries for `…="timeout"} == 1` read both.
    this.#reason = m.gauge({
      name: 'muster_collector_failure_reason',
      help: 'Why the instance\'s last cycle failed ("none" while it is up): 1 for the current reason; with selfMetrics full also 0 for every other reason.',
      labelNames: ['collector', 'muster_collector_failure_reason'] as const,
    });
    this.#runs = m.counter({
      name: 'muster_collector_runs_total',
      help: 'Runs of the instance by result: success, failure, or skipped because the previous cycle was still running.',
      labelNames: ['collector', 'result'] as const,
      accumulate: false,
    });
    this.#series = m.gauge({ name: 'muster_collector_series', help: 'Series the instance committed in its last successful cycle.', labelNames: collector });
    this.#info = m.info({
      name: 'muster_collector_info',
      help: 'One series per configured instance, with its plugin and schedule.',
      labelNames: ['collector', 'plugin', 'schedule'] as const,
    });
    this.#unhandled = m.counter({
      name: 'muster_collector_unhandled_errors_total',
      help: 'Errors raised by the instance\'s plugin code that nobody handled (stray rejections, throwing timers), contained by muster.',
      labelNames: collector,
      accumulate: false,
    });
    this.#stall = m.counter({
      name: 'muster_collector_stall_seconds_total',
      help: 'Seconds the event loop stalled (over 100 ms at a time) while the instance\'s in-process cycle ran: blocking code in its plugin.',
      labelNames: collector,
      accumulate: false,
    });
    this.#overrun = m.gauge({
      name: 'muster_collector_overrun_seconds',
      help: 'How long a cycle of the instance has run past its deadline, ignoring its abort signal, holding the instance\'s only cycle slot; 0 when none.',
      labelNames: collector,
    });
    this.#targets = new TargetMetrics(m);
    this.#probes = new ProbeCounter(m);
    const unattributed = m.counter({
      name: 'muster_unattributed_errors_total',
      help: 'Unhandled errors no plugin instance could be blamed for, by source (rejection or exception).',
      labelNames: ['source'] as const,
      accumulate: true,
    });
    // Both sources exist from the start, at 0, so that a rate() over them works before the first.
    for (const source of ['rejection', 'exception'] as const) unattributed.inc({ source }, 0);
    this.recordUnattributed = (source) => unattributed.inc({ source });
    m.info({ name: 'muster_build_info', help: 'The muster build: version and Node.js version.', labelNames: ['version', 'node_version'] as const, accumulate: true })
      .set({ version: build.version, node_version: process.version });
    const reloadOk = m.gauge({
      name: 'muster_config_last_reload_successful',
      help: 'Whether the last configuration reload succeeded (1) or was refused (0); 1 before any reload.',
      accumulate: true,
    });
    const reloadAt = m.gauge({
      name: 'muster_config_last_reload_success_timestamp_seconds',
      help: 'Unix time of the last successful configuration load (start-up or reload).',
      accumulate: true,
    });
    reloadOk.set(1);
    reloadAt.set(Date.now() / 1000);
    this.recordReload = (successful: boolean) => {
      reloadOk.set(successful ? 1 : 0);
      if (successful) reloadAt.set(Date.now() / 1000);
    };
    const webReloads = m.counter({
      name: 'muster_web_config_reloads_total',
      help: 'Changes of the web config file seen while running, by result: applied (success) or refused (failure, the last good one stays).',
      labelNames: ['result'] as const,
      accumulate: true,
    });
    const webReloadOk = m.gauge({
      name: 'muster_web_config_last_reload_successful',
      help: 'Whether the last change of the web config file was applied (1) or refused (0); 1 before any change.',
      accumulate: true,
    });
    webReloadOk.set(1);
    for (const result of ['success', 'failure'] as const) webReloads.inc({ result }, 0);
    this.recordWebConfigReload = (successful: boolean) => {
      webReloads.inc({ result: successful ? 'success' : 'failure' });
      webReloadOk.set(successful ? 1 : 0);
    };
    this.process = new ProcessMetrics(m);
  }

  /**
   * Renders the health of `instances` plus build and process metrics (UTF-8), in short slices that let
   * the event loop run in between (see `sliced.ts`); renders run one after the other.
   */
  render(instances: readonly RenderedInstance[], format: ExpositionFormat): Promise<Buffer> {
    const run = this.#rendering.then(() => this.#render(instances, format));
    this.#rendering = run.catch(() => undefined);
    return run;
  }

  #rendering: Promise<unknown> = Promise.resolve();

  async #render(instances: readonly RenderedInstance[], format: ExpositionFormat): Promise<Buffer> {
    this.#metrics.beginCycle();
    const now = Date.now();
    const slicer = new Slicer();
    for (const { plan, health, slot } of instances) {
      if (slicer.due()) await slicer.pause();
      const collector = plan.name;
      // The standard set: SELF_SERIES_PER_INSTANCE.standard series.
      this.#up.set({ collector }, health.up ? 1 : 0);
      this.#lastSuccess.set({ collector }, health.lastSuccessSeconds);
      this.#duration.set({ collector }, health.lastDurationSeconds);
      this.#failures.set({ collector }, health.consecutiveFailures);
      const reason = health.up || health.reason === undefined ? 'none' : health.reason;
      this.#reason.set({ collector, muster_collector_failure_reason: reason }, 1);
      this.#series.set({ collector }, health.series);
      this.#info.set({ collector, plugin: plan.plugin.name, schedule: plan.schedule.text });
      this.#overrun.set({ collector }, slot?.overrunSince === undefined ? 0 : (now - slot.overrunSince) / 1000);
      this.#targets.write(collector, health.target);
      if (plan.selfMetrics !== 'full') continue;
      // The full set, opt-in: every other reason at 0, run counters, contained errors, stalls.
      for (const other of REASON_STATES) if (other !== reason) this.#reason.set({ collector, muster_collector_failure_reason: other }, 0);
      this.#unhandled.inc({ collector }, slot?.unhandledTotal ?? 0);
      this.#stall.inc({ collector }, slot?.stallSeconds ?? 0);
      // The totals live in the health record; re-stating them each render keeps removed instances out.
      for (const result of ['success', 'failure', 'skipped'] as const) {
        this.#runs.inc({ collector, result }, health.runs[result]);
      }
    }
    this.#probes.write(this.probes, this.modules());
    this.process.write();
    return renderFamiliesInSlices(await this.#metrics.snapshot(), format);
  }
}
