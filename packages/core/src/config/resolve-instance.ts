import { createHash } from 'node:crypto';
import type { Plugin } from '@muster/sdk';
import { parseDuration } from '@muster/sdk';
import type { PathSegment } from './path.js';
import type { InstancePlan, InstanceSettings } from './plan.js';
import { parseSchedule } from './schedule.js';
import { resolveRunOptions } from './run-options.js';
import { DEFAULTS } from './schema.js';
import { effectiveTimeout, isTimeoutProblem } from './timeout.js';

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
  const { config } = input;
  // The fingerprint is computed when first read (a reload compares plans), not for each of 10,000
  // instances at start.
  let digest: string | undefined;
  return {
    plan: {
      name: input.name,
      use: input.use,
      plugin,
      schedule,
      timeoutMs: timeout.ms,
      timeoutSource: timeout.source,
      ...(timeout.clampedFrom === undefined ? {} : { timeoutClampedFrom: timeout.clampedFrom }),
      jitterMs,
      labels,
      onFailure,
      maxSeries,
      isolation,
      workerMemoryMb,
      ...(input.pluginUrl === undefined ? {} : { pluginUrl: input.pluginUrl }),
      config,
      ...runOptions,
      get fingerprint(): string {
        digest ??= fingerprint([input.use, plugin.name, scheduleText, timeout.ms, jitterMs, labels, onFailure, maxSeries, isolation, workerMemoryMb, config, runOptions]);
        return digest;
      },
    },
  };
}
