import { COLLECT_ERROR_REASONS } from '@muster/sdk';

/** The backend's own verdict as muster keeps it: healthy, or unhealthy with a bounded reason. */
export interface TargetHealth {
  readonly healthy: boolean;
  /** Why it is unhealthy: a kebab-case word (`status-503`); `unstated` when the plugin gave none. */
  readonly reason?: string;
}

/**
 * Why a cycle failed: a closed set, never free text, so that every instance exports the same
 * health set with a bounded failure reason (docs/reliability.md, the fault matrix). The backend reasons come
 * from a collector's `CollectError` or from classifying the error it threw (see `classify.ts`).
 */
export const FAILURE_REASONS = [
  ...COLLECT_ERROR_REASONS,
  'error',
  'invalid-output',
  'series-limit',
  'create-failed',
  // Plugin code raised an error nobody handled (a stray rejection, a throwing timer).
  'unhandled',
  // The previous cycle ignored its deadline and still holds the instance's only slot.
  'overrun',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** How a run of an instance ended. */
export type RunResult = 'success' | 'failure' | 'skipped';

/** What muster knows about one instance's recent cycles. */
export interface InstanceHealth {
  /** 1 when the last cycle succeeded. */
  up: boolean;
  /** Unix seconds of the last successful cycle's end; 0 before the first. */
  lastSuccessSeconds: number;
  /** Unix milliseconds of the last cycle's start; 0 before the first. */
  lastRunAt: number;
  /** Seconds the last cycle took. */
  lastDurationSeconds: number;
  consecutiveFailures: number;
  /** Reason of the last failure while down. */
  reason: FailureReason | undefined;
  /** One line about the last failure, for logs and the landing page (secrets redacted). */
  lastError: string | undefined;
  /** True once a cycle has finished (succeeded, failed or timed out). */
  settled: boolean;
  /** Unix milliseconds of the next scheduled run, when known. */
  nextRunAt: number | undefined;
  runs: Record<RunResult, number>;
  /** Series committed by the last successful cycle. */
  series: number;
  /** The backend's own verdict from the last cycle; undefined when it stated none. */
  target: TargetHealth | undefined;
}

/** A fresh health record. */
export function newHealth(): InstanceHealth {
  return {
    up: false,
    lastSuccessSeconds: 0,
    lastRunAt: 0,
    lastDurationSeconds: 0,
    consecutiveFailures: 0,
    reason: undefined,
    lastError: undefined,
    settled: false,
    nextRunAt: undefined,
    runs: { success: 0, failure: 0, skipped: 0 },
    series: 0,
    target: undefined,
  };
}
