import { type CollectErrorReason, errorChain, TRANSPORT_ERROR_REASONS, transportReasonOfCode } from '@muster/sdk';
import { POOLER_SQLSTATE, poolerReason } from './pooler.js';

/** Why the last ping failed (`none` when it succeeded). A closed set: never free text. */
export const FAILURE_REASONS = [
  'none',
  ...TRANSPORT_ERROR_REASONS,
  'auth',
  'database-missing',
  'unavailable',
  'query-error',
  'pooler-auth',
  'pooler-refused',
  'pooler-full',
  'pooler-server-down',
  'error',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** The reason muster's own `muster_collector_failure_reason` would give for each ping failure. */
export const MUSTER_REASON: Readonly<Record<Exclude<FailureReason, 'none'>, CollectErrorReason | 'error'>> = {
  timeout: 'timeout',
  'connection-refused': 'connection-refused',
  dns: 'dns',
  tls: 'tls',
  auth: 'auth',
  'database-missing': 'backend-error',
  unavailable: 'backend-error',
  'query-error': 'backend-error',
  'pooler-auth': 'auth',
  'pooler-refused': 'backend-error',
  'pooler-full': 'backend-error',
  'pooler-server-down': 'backend-error',
  error: 'error',
};

/** Which step of a ping failed: getting a connection, or running a query on it. */
export type PingPhase = 'connect' | 'query';

/** Errors node-postgres builds itself, recognised by their text. */
const TIMEOUT_MESSAGES = [
  'timeout expired', // connectionTimeoutMillis while connecting
  'Connection terminated due to connection timeout', // the pool's wrapper of the above
  'timeout exceeded when trying to connect', // waiting for a pooled connection
  'Query read timeout', // query_timeout
];
const TLS_MESSAGES = ['The server does not support SSL connections', 'self-signed certificate', 'certificate'];
const AUTH_MESSAGES = ['client password must be a string', 'SASL', 'SCRAM', 'password authentication'];

/** SQLSTATEs of a server that is there but will not serve now. */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '57P05', '53300', '53400']);

const stringField = (e: object, key: 'code' | 'message' | 'name'): string | undefined => {
  const value = (e as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
};

/** The server error (pg's DatabaseError) in the chain, if any: its SQLSTATE and message. */
function serverError(err: unknown): { state: string; message: string } | undefined {
  for (const e of errorChain(err)) {
    const code = stringField(e, 'code');
    // Server errors carry a severity besides their five-character code.
    if (code !== undefined && /^[0-9A-Z]{5}$/.test(code) && 'severity' in e) return { state: code, message: stringField(e, 'message') ?? '' };
  }
  return undefined;
}

/** A PostgreSQL SQLSTATE (five characters) carried by a server error, if any. */
export function sqlState(err: unknown): string | undefined {
  return serverError(err)?.state;
}

function ofSqlState(state: string, phase: PingPhase, message: string): FailureReason {
  if (state === POOLER_SQLSTATE) {
    // A pooler's own error (PostgreSQL sends 08P01 only for malformed messages): its message says which.
    return poolerReason(message) ?? (phase === 'connect' ? 'pooler-refused' : 'error');
  }
  if (state === '28P01' || state.startsWith('28')) return 'auth';
  if (state === '3D000') return 'database-missing';
  // statement_timeout, lock_timeout; a cancel by an operator (57014 too) is rare enough to share it.
  if (state === '57014' || state === '55P03') return 'timeout';
  if (UNAVAILABLE_STATES.has(state)) return 'unavailable';
  // While connecting: e.g. 42501, no CONNECT privilege on the database.
  if (phase === 'connect') return state === '42501' ? 'auth' : 'error';
  if (state.startsWith('08')) return 'error';
  return 'query-error';
}

/**
 * Classifies a failed ping: a server error by its SQLSTATE, a network error by its code, the
 * errors node-postgres builds itself by their text. `phase` says whether the error came while
 * getting a connection or while running a query on one.
 */
export function classifyError(err: unknown, phase: PingPhase): FailureReason {
  const server = serverError(err);
  if (server !== undefined) return ofSqlState(server.state, phase, server.message);
  const links = errorChain(err);
  for (const e of links) {
    const code = stringField(e, 'code');
    if (code === undefined) continue;
    if (code === 'ENOENT' && phase === 'connect') return 'connection-refused';
    if (code === 'ABORT_ERR') return 'timeout';
    const transport = transportReasonOfCode(code);
    if (transport !== undefined) return transport;
  }
  for (const e of links) {
    const name = stringField(e, 'name');
    if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
    const message = stringField(e, 'message') ?? '';
    if (TIMEOUT_MESSAGES.some((m) => message.includes(m))) return 'timeout';
    if (TLS_MESSAGES.some((m) => message.includes(m))) return 'tls';
    if (phase === 'connect' && AUTH_MESSAGES.some((m) => message.includes(m))) return 'auth';
  }
  return 'error';
}

/** A connection-level failure on a reused connection (not a server answer, not a timeout): worth one retry on a new one. */
export function isBrokenConnection(err: unknown): boolean {
  const state = sqlState(err);
  // 57P01/57P02: the server was shut down or restarted under an idle connection; 57P05: idle session timeout.
  if (state !== undefined) return state === '57P01' || state === '57P02' || state === '57P05';
  return classifyError(err, 'query') === 'error';
}
