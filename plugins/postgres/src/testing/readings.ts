import type { CycleResult } from '@muster/testing';
import type { PostgresServer } from '@muster/testing-postgres';
import { findSamples, sampleValue } from '@muster/testing';
import type { FailureReason } from '../classify.js';

/** One captured log line. */
export interface LogLine {
  readonly level: string;
  readonly fields: Record<string, unknown>;
  readonly message: string | undefined;
}

/** A harness `log` option that keeps every line, and the lines. */
export function captureLogs(): { lines: LogLine[]; log: (level: string, fields: Record<string, unknown>, message?: string) => void } {
  const lines: LogLine[] = [];
  return { lines, log: (level, fields, message) => lines.push({ level, fields, message }) };
}

/** Connection settings of the test server's superuser, as a plugin config. */
export function superuserConfig(server: PostgresServer, applicationName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { host: server.host, port: server.port, user: server.user, password: server.password, database: server.database, applicationName, ...extra };
}

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

/** Sessions the server has open for `applicationName` (any state). */
export async function sessions(server: PostgresServer, applicationName: string): Promise<{ pid: number; state: string | null; wait_event_type: string | null; datname: string | null }[]> {
  return server.query(
    'SELECT pid, state, wait_event_type, datname FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()',
    [applicationName],
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns true or `timeoutMs` passes; returns whether it did. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 5_000, everyMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}
