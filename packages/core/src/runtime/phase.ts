import { createHash } from 'node:crypto';

/**
 * A stable number in [0, 2^48) for `name`: the same on every start, on every machine, so an
 * instance keeps its phase across restarts.
 */
export function nameHash(name: string): number {
  return createHash('sha256').update(name).digest().readUIntBE(0, 6);
}

/**
 * The instance's phase within its interval: a stable offset from the interval's boundaries
 * (counted from the Unix epoch), as Prometheus spreads its targets over the scrape interval.
 */
export function phaseMs(name: string, everyMs: number): number {
  return nameHash(name) % everyMs;
}

/**
 * Unix ms of the first time at or after `now` that falls on the instance's phase: between `now`
 * and `now + everyMs`. After a restart the instance runs at the same points of time as before.
 */
export function firstRunAt(name: string, everyMs: number, now: number): number {
  const phase = phaseMs(name, everyMs);
  const wait = (((phase - (now % everyMs)) % everyMs) + everyMs) % everyMs;
  return now + wait;
}
