import { isCollectError } from '@muster/sdk';
import type { FailureReason } from './health.js';

const TLS_CODES = /^(CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|ERR_TLS_|ERR_SSL_|EPROTO$|HOSTNAME_MISMATCH)/;

function codeOf(err: unknown): string {
  let e: unknown = err;
  for (let i = 0; i < 5 && e !== null && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'ERR_GOT_REQUEST_ERROR' && code !== 'ERR_NON_2XX_3XX_RESPONSE') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return '';
}

/**
 * The failure reason of an error a collector threw: a `CollectError`'s own reason, else what
 * its error code or HTTP status says (got and node errors), else `error`.
 */
export function classifyFailure(err: unknown): FailureReason {
  if (isCollectError(err)) return err.reason;
  const status = (err as { response?: { statusCode?: unknown } } | null)?.response?.statusCode;
  if (typeof status === 'number') {
    if (status === 401 || status === 403 || status === 407) return 'auth';
    if (status >= 500) return 'backend-error';
  }
  const code = codeOf(err);
  if (code === 'ECONNREFUSED') return 'connection-refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
  if (code === 'ETIMEDOUT' || (err as Error | null)?.name === 'TimeoutError') return 'timeout';
  if (TLS_CODES.test(code)) return 'tls';
  if (err instanceof SyntaxError || (err as Error | null)?.name === 'ParseError') return 'bad-response';
  return 'error';
}
