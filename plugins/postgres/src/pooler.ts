/**
 * What a connection pooler's own errors mean. PgBouncer (and other poolers) answer with an
 * ErrorResponse of SQLSTATE `08P01` (protocol violation) and a message of their own; PgBouncer
 * before 1.19 also relays the server's login errors under that code. PostgreSQL itself sends
 * `08P01` only for malformed messages, which node-postgres never sends: at login, that code
 * comes from a pooler.
 */

/** The ping failure reasons a pooler's error can carry (see `classify.ts`). */
export type PoolerFailure = 'pooler-auth' | 'pooler-refused' | 'pooler-full' | 'pooler-server-down' | 'timeout' | 'auth' | 'database-missing' | 'unavailable';

/** The SQLSTATE a pooler uses for its own errors. */
export const POOLER_SQLSTATE = '08P01';

/** Messages, by reason; the first match wins. PgBouncer's wording of 1.18 to today. */
const MESSAGES: readonly (readonly [PoolerFailure, RegExp])[] = [
  // The server's own login errors, relayed by an older PgBouncer: a database problem, not the pooler's.
  ['database-missing', /^database ".*" does not exist/],
  ['auth', /password authentication failed for user|no pg_hba\.conf entry|^role ".*" does not exist|is not permitted to log in|permission denied for database/],
  ['unavailable', /the database system is (starting up|shutting down|in recovery mode|not (yet )?accepting connections)|too many clients already|remaining connection slots are reserved|too many connections for (role|database)|terminating connection due to administrator command/],
  // The pooler is up but cannot reach or log in to the server behind it.
  ['pooler-server-down', /server login has been failing|cannot connect to server|client_login_timeout \(server down\)|server conn crashed|^connect failed|^connect timeout|server DNS lookup failed|^login failed/],
  // The pooler has no room for one more client, or no server connection came in time.
  ['pooler-full', /no more connections allowed|client connections exceeded|query_wait_timeout|resources exhaustion/],
  // The pooler cut the query itself (its query_timeout).
  ['timeout', /^query_timeout/],
  // The pooler refused the login.
  ['pooler-auth', /SASL authentication failed|^password authentication failed$|^no such user|login rejected|^not allowed|SSL required|authentication failed|no authentication method|invalid SASL authentication mechanism|empty password|username too long|password too long|no username supplied/],
  // The pooler refused a startup parameter, does not serve the database, or is going away; or it
  // pools by statement, where the ping's transaction is not allowed.
  ['pooler-refused', /unsupported startup parameter|unsupported options startup parameter|no such database|database ".*" is disabled|pooler is shutting down|server shutting down|bouncer config error|PQexec disallowed|transaction blocks not allowed/],
];

/**
 * The reason of a pooler's `08P01` error from its message, or `undefined` when the message is
 * not one a pooler is known to send.
 */
export function poolerReason(message: string): PoolerFailure | undefined {
  for (const [reason, pattern] of MESSAGES) if (pattern.test(message)) return reason;
  return undefined;
}
