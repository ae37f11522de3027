import { createHash } from 'node:crypto';
import type { Plugin } from '@muster/sdk';
import { parseDuration } from '@muster/sdk';
import type { PathSegment } from './path.js';
import type { InstancePlan, InstanceSettings } from './plan.js';
import { parseSchedule, type Schedule } from './schedule.js';
import { type RunOptions, resolveRunOptions, type SelfMetricsLevel } from './run-options.js';
import { DEFAULTS, type Isolation, type OnFailure } from './schema.js';
import { effectiveTimeout, isTimeoutProblem, type TimeoutSource } from './timeout.js';

/** What {@link resolveInstance} combines into one plan. */
export interface InstanceInput {
  readonly name: string;
  /** The plugin reference as written (`http-health`, `./my-plugin`). */
  readonly use: string;
  readonly plugin: Plugin;
  /** The module URL the plugin was loaded from (worker isolation imports it again). */
  readonly pluginUrl?: string;
  /** The entry's own settings. */
  readonly entry: InstanceSettings;
  /** The file's `defaults`. */
  readonly defaults?: InstanceSettings;
  /** The plugin config, already parsed by the plugin's schema. */
  readonly config: unknown;
  /** False for a probe's instance: its series carry no `collector` label. */
  readonly collectorLabel?: false;
}

/** A problem found while resolving, with its path below the entry (`['timeout']`). */
export interface ResolveIssue {
  readonly path: readonly PathSegment[];
  readonly message: string;
}

/** A plan, or why there is none. */
export type Resolved = { readonly plan: InstancePlan; readonly issues?: undefined } | { readonly plan?: undefined; readonly issues: readonly ResolveIssue[] };

function fingerprint(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

/**
 * The one place an instance's settings are decided: its own key, then `defaults`, then the
 * plugin's defaults, then muster's; durations are parsed here and nowhere else, and the timeout
 * and jitter are checked against the schedule. Used by config validation, the test kit and the
 * benchmarks alike.
 */
export function resolveInstance(input: InstanceInput): Resolved {
  const { entry, plugin } = input;
  const defaults = input.defaults ?? {};
  const scheduleText = entry.schedule ?? defaults.schedule ?? plugin.defaults?.schedule ?? DEFAULTS.schedule;
  const schedule = parseSchedule(scheduleText);
  if (typeof schedule === 'string') {
    const from = entry.schedule !== undefined ? '' : defaults.schedule !== undefined ? 'defaults.schedule: ' : 'plugin default schedule: ';
    return { issues: [{ path: ['schedule'], message: `${from}expected ${schedule}` }] };
  }
  const timeout = effectiveTimeout(
    { instance: entry.timeout, defaults: defaults.timeout, plugin: plugin.defaults?.timeout, muster: DEFAULTS.timeout },
    schedule,
  );
  if (isTimeoutProblem(timeout)) return { issues: [{ path: [timeout.key], message: timeout.message }] };
  const jitterText = entry.jitter ?? defaults.jitter ?? DEFAULTS.jitter;
  const jitterMs = jitterText === '0' || jitterText === '0ms' ? 0 : parseDuration(jitterText);
  if (jitterMs === undefined) return { issues: [{ path: ['jitter'], message: `expected a duration, found "${jitterText}"` }] };
  if (schedule.kind === 'interval' && jitterMs >= schedule.everyMs) {
    return { issues: [{ path: ['jitter'], message: `expected a jitter shorter than the interval; jitter ${jitterText} >= schedule ${schedule.text}` }] };
  }
  const labels = { ...(defaults.labels ?? {}), ...(entry.labels ?? {}) };
  const onFailure = entry.onFailure ?? defaults.onFailure ?? DEFAULTS.onFailure;
  const maxSeries = entry.maxSeries ?? defaults.maxSeries ?? DEFAULTS.maxSeries;
  const isolation = entry.isolation ?? defaults.isolation ?? DEFAULTS.isolation;
  const workerMemoryMb = entry.workerMemoryMb ?? defaults.workerMemoryMb ?? DEFAULTS.workerMemoryMb;
  const runOptions = resolveRunOptions(entry, defaults);
  return { plan: new ResolvedPlan(input, scheduleText, schedule, timeout, jitterMs, labels, onFailure, maxSeries, isolation, workerMemoryMb, runOptions) };
}

/**
 * An instance's plan: one class, so that 10,000 plans share one hidden class and keep their
 * fields in the object (a literal built with spreads and a getter fell into dictionary mode, at
 * about 800 bytes more a plan). Optional fields are set only when present.
 */
class ResolvedPlan implements InstancePlan {
  readonly name: string;
  readonly use: string;
  readonly plugin: Plugin;
  readonly schedule: Schedule;
  readonly timeoutMs: number;
  readonly timeoutSource: TimeoutSource;
  declare readonly timeoutClampedFrom?: string;
  readonly jitterMs: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly onFailure: OnFailure;
  readonly maxSeries: number;
  readonly isolation: Isolation;
  readonly workerMemoryMb: number;
  declare readonly pluginUrl?: string;
  declare readonly collectorLabel?: false;
  readonly config: unknown;
  readonly align: boolean;
  readonly selfMetrics: SelfMetricsLevel;
  readonly #scheduleText: string;
  /** Computed when first read (a reload compares plans), not for each of 10,000 instances at start. */
  #fingerprint: string | undefined;

  constructor(
    input: InstanceInput,
    scheduleText: string,
    schedule: Schedule,
    timeout: { readonly ms: number; readonly source: TimeoutSource; readonly clampedFrom?: string | undefined },
    jitterMs: number,
    labels: Readonly<Record<string, string>>,
    onFailure: OnFailure,
    maxSeries: number,
    isolation: Isolation,
    workerMemoryMb: number,
    runOptions: RunOptions,
  ) {
    this.name = input.name;
    this.use = input.use;
    this.plugin = input.plugin;
    this.schedule = schedule;
    this.timeoutMs = timeout.ms;
    this.timeoutSource = timeout.source;
    if (timeout.clampedFrom !== undefined) (this as { timeoutClampedFrom?: string }).timeoutClampedFrom = timeout.clampedFrom;
    this.jitterMs = jitterMs;
    this.labels = labels;
    this.onFailure = onFailure;
    this.maxSeries = maxSeries;
    this.isolation = isolation;
    this.workerMemoryMb = workerMemoryMb;
    if (input.pluginUrl !== undefined) (this as { pluginUrl?: string }).pluginUrl = input.pluginUrl;
    if (input.collectorLabel === false) (this as { collectorLabel?: false }).collectorLabel = false;
    this.config = input.config;
    this.align = runOptions.align;
    this.selfMetrics = runOptions.selfMetrics;
    this.#scheduleText = scheduleText;
  }

  get fingerprint(): string {
    this.#fingerprint ??= fingerprint([
      this.use,
      this.plugin.name,
      this.#scheduleText,
      this.timeoutMs,
      this.jitterMs,
      this.labels,
      this.onFailure,
      this.maxSeries,
      this.isolation,
      this.workerMemoryMb,
      this.config,
      { align: this.align, selfMetrics: this.selfMetrics },
    ]);
    return this.#fingerprint;
  }
}
