import { parseDuration } from '@muster/sdk';
import type { Schedule } from './schedule.js';

/** Where an instance's timeout was set: its own key, `defaults`, the plugin's defaults or muster's. */
export type TimeoutSource = 'instance' | 'defaults' | 'plugin' | 'muster';

/** The timeout an instance runs with, and why. */
export interface EffectiveTimeout {
  readonly ms: number;
  readonly source: TimeoutSource;
  /** The inherited timeout it was shortened from, when the interval was shorter (`10s`). */
  readonly clampedFrom?: string;
}

/** A timeout that cannot apply: the key to blame (`timeout` or `schedule`) and why. */
export interface TimeoutProblem {
  readonly key: 'timeout' | 'schedule';
  readonly message: string;
}

/**
 * The timeout of one instance. The first of the instance's key, `defaults.timeout`, the plugin's
 * default and muster's applies. Like Prometheus' `scrape_timeout`, one that was inherited from a
 * plugin or from muster and is longer than an interval schedule is clamped to the interval; one
 * the file sets (on the instance or in `defaults`) longer than the interval is an error.
 */
export function effectiveTimeout(
  sources: { readonly instance?: string; readonly defaults?: string; readonly plugin?: string; readonly muster: string },
  schedule: Schedule,
): EffectiveTimeout | TimeoutProblem {
  const [source, text] = (
    [
      ['instance', sources.instance],
      ['defaults', sources.defaults],
      ['plugin', sources.plugin],
      ['muster', sources.muster],
    ] as const
  ).find(([, t]) => t !== undefined) as [TimeoutSource, string];
  const ms = parseDuration(text);
  if (ms === undefined) return { key: 'timeout', message: `${source === 'plugin' ? 'plugin default ' : ''}timeout "${text}" is not a duration` };
  if (schedule.kind !== 'interval' || ms <= schedule.everyMs) return { ms, source };
  if (source === 'plugin' || source === 'muster') return { ms: schedule.everyMs, source, clampedFrom: text };
  const where = source === 'defaults' ? ' (set in defaults.timeout)' : '';
  return {
    key: source === 'instance' ? 'timeout' : 'schedule',
    message: `expected a timeout no longer than the interval; timeout ${text}${where} > schedule ${schedule.text}`,
  };
}

/** True when {@link effectiveTimeout} found a problem. */
export function isTimeoutProblem(value: EffectiveTimeout | TimeoutProblem): value is TimeoutProblem {
  return 'key' in value;
}
