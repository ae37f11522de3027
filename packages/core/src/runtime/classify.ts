import { isCollectError, transportErrorReason } from '@muster/sdk';
import type { FailureReason } from './health.js';

/**
 * The failure reason of an error a collector threw: a `CollectError`'s own reason, else what
 * its HTTP status (got's `HTTPError`) or error code says, else `error`.
 */
export function classifyFailure(err: unknown): FailureReason {
  if (isCollectError(err)) return err.reason;
  const status = (err as { response?: { statusCode?: unknown } } | null)?.response?.statusCode;
  if (typeof status === 'number') {
    if (status === 401 || status === 403 || status === 407) return 'auth';
    if (status >= 500) return 'backend-error';
  }
  const transport = transportErrorReason(err);
  if (transport !== undefined) return transport;
  if (err instanceof SyntaxError || (err as Error | null)?.name === 'ParseError') return 'bad-response';
  return 'error';
}
