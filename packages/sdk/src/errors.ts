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
