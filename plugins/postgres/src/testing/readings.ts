/** What a test reads from the plugin's cycles: pg_up, the failure reason, and waiting for up. */
import type { CycleResult, Harness } from '@muster/testing';
import { findSamples, sampleValue, sleep } from '@muster/testing';
import type { FailureReason } from '../classify.js';

/** pg_up of a cycle. */
export function pgUp(cycle: CycleResult): number {
  return sampleValue(cycle.exposition, 'pg_up');
}

/** The state of pg_failure_reason that is 1 (throws unless exactly one is). */
export function pgReason(cycle: CycleResult): FailureReason {
  const on = findSamples(cycle.exposition, 'pg_failure_reason').filter((s) => s.value === 1);
  if (on.length !== 1) throw new Error(`expected exactly one pg_failure_reason at 1, found ${on.length}`);
  return on[0]?.labels.pg_failure_reason as FailureReason;
}

/**
 * Cycles `h` every `everyMs` until pg_up is 1 or `timeoutMs` (a hang guard) passes: whether it
 * came up, and the reason of the last cycle.
 */
export async function cycleUntilUp(h: Harness, timeoutMs = 60_000, everyMs = 500): Promise<{ up: boolean; last: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const cycle = await h.cycle();
    const last = pgReason(cycle);
    if (pgUp(cycle) === 1) return { up: true, last };
    if (Date.now() > deadline) return { up: false, last };
    await sleep(everyMs);
  }
}
