/**
 * Why a backend could not be read, as a collector reports it by throwing a {@link CollectError}.
 * A closed set, so that `muster_collector_failure_reason` stays bounded.
 */
export const COLLECT_ERROR_REASONS = [
  'timeout',
  'connection-refused',
  'dns',
  'tls',
  'auth',
  'bad-response',
  'backend-error',
] as const;
export type CollectErrorReason = (typeof COLLECT_ERROR_REASONS)[number];

const BRAND = Symbol.for('muster.CollectError');

/**
 * Throw this from `collect` to fail the cycle with a specific reason: `auth` for rejected
 * credentials, `bad-response` for an answer that is not what the backend should send (HTML
 * instead of JSON, malformed data), `backend-error` for a backend that answered with an error,
 * `connection-refused`, `dns`, `tls` or `timeout` for transport failures. Any other error fails
 * the cycle with reason `error`. Errors from `ctx.http` (got) are classified automatically.
 */
export class CollectError extends Error {
  readonly reason: CollectErrorReason;
  readonly [BRAND] = true;

  constructor(reason: CollectErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CollectError';
    this.reason = reason;
  }
}

/** True for a {@link CollectError}, also one created by another copy of the SDK. */
export function isCollectError(err: unknown): err is CollectError {
  return (
    err !== null &&
    typeof err === 'object' &&
    (err as Record<symbol, unknown>)[BRAND] === true &&
    (COLLECT_ERROR_REASONS as readonly string[]).includes((err as { reason?: string }).reason ?? '')
  );
}

/**
 * The transport failures every network collector meets, as collect-error reasons. A plugin that
 * reports its own failure reasons (a `*_failure_reason` state set) starts its list with these, so
 * every plugin names a transport failure the same way.
 */
export const TRANSPORT_ERROR_REASONS = ['timeout', 'connection-refused', 'dns', 'tls'] as const satisfies readonly CollectErrorReason[];
export type TransportErrorReason = (typeof TRANSPORT_ERROR_REASONS)[number];

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME']);
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'HOSTNAME_MISMATCH',
  // OpenSSL failures surfaced by the socket, e.g. https:// to a plain-HTTP port ("wrong version number").
  'EPROTO',
]);
const TLS_PREFIXES = ['CERT_', 'ERR_TLS_', 'ERR_SSL_'];

/**
 * `err`, its causes and (for an `AggregateError`, as a connection tried on several addresses
 * throws) the errors it holds: outermost first, each once, at most ten.
 */
export function errorChain(err: unknown): object[] {
  const out: object[] = [];
  const queue: unknown[] = [err];
  while (queue.length > 0 && out.length < 10) {
    const current = queue.shift();
    if (current === null || typeof current !== 'object' || out.includes(current)) continue;
    out.push(current);
    queue.push((current as { cause?: unknown }).cause);
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors)) queue.push(...errors.slice(0, 4));
  }
  return out;
}

/** The error codes (`ECONNREFUSED`, `CERT_HAS_EXPIRED`, a SQLSTATE…) of {@link errorChain}, outermost first. */
export function errorCodes(err: unknown): string[] {
  return errorChain(err)
    .map((e) => (e as { code?: unknown }).code)
    .filter((c): c is string => typeof c === 'string');
}

/** The transport reason one error code names (`ETIMEDOUT` → `timeout`…), if any. */
export function transportReasonOfCode(code: string): TransportErrorReason | undefined {
  if (code === 'ETIMEDOUT') return 'timeout';
  if (code === 'ECONNREFUSED') return 'connection-refused';
  if (DNS_CODES.has(code)) return 'dns';
  if (TLS_CODES.has(code) || TLS_PREFIXES.some((p) => code.startsWith(p))) return 'tls';
  return undefined;
}

/**
 * Classifies a network error (got's `RequestError` family, a Node.js socket or TLS error, and
 * their causes): `timeout`, `connection-refused`, `dns` or `tls`; `undefined` when it is none of these.
 */
export function transportErrorReason(err: unknown): TransportErrorReason | undefined {
  if (err instanceof Error && err.name === 'TimeoutError') return 'timeout';
  for (const code of errorCodes(err)) {
    const reason = transportReasonOfCode(code);
    if (reason !== undefined) return reason;
  }
  return undefined;
}
