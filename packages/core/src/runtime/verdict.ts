import { COLLECT_ERROR_REASONS, isTargetVerdict, VERDICT_REASON } from '@muster/sdk';
import type { FailureReason, TargetHealth } from './health.js';

/**
 * The verdict a successful cycle's collect() returned, with its reason bounded: a reason that is
 * not a short kebab-case word becomes `invalid-reason` (a label value must not grow without end).
 * Undefined when the collector stated none.
 */
export function verdictOfResult(returned: unknown): TargetHealth | undefined {
  if (!isTargetVerdict(returned)) return undefined;
  if (returned.healthy) return { healthy: true };
  const reason = returned.reason;
  if (reason === undefined) return { healthy: false, reason: 'unstated' };
  return { healthy: false, reason: typeof reason === 'string' && VERDICT_REASON.test(reason) ? reason : 'invalid-reason' };
}

const BACKEND_REASONS: ReadonlySet<string> = new Set(COLLECT_ERROR_REASONS);

/**
 * The verdict a failed cycle implies: a failure the backend caused (refused, timed out, answered
 * with an error…) says the backend is unhealthy for that reason; a failure of muster or of the
 * plugin's code says nothing about the backend.
 */
export function verdictOfFailure(reason: FailureReason): TargetHealth | undefined {
  return BACKEND_REASONS.has(reason) ? { healthy: false, reason } : undefined;
}
