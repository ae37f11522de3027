/** Why a check was unhealthy (`none` when it was healthy). A closed set: never free text. */
export const FAILURE_REASONS = [
  'none',
  'timeout',
  'connection-refused',
  'dns',
  'tls',
  'status-mismatch',
  'body-mismatch',
  'body-too-large',
  'error',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

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
  'ERR_TLS_CERT_ALTNAME_INVALID',
  // OpenSSL failures surfaced by the socket, e.g. https:// to a plain-HTTP port ("wrong version number").
  'EPROTO',
]);
const TLS_PREFIXES = ['CERT_', 'ERR_TLS_', 'ERR_SSL_'];

/** The error codes of `err` and of its causes, outermost first. */
export function errorCodes(err: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/** Maps one error code to a failure reason, or `undefined` when the code says nothing specific. */
function reasonOfCode(code: string): FailureReason | undefined {
  if (code === 'ETIMEDOUT') return 'timeout';
  if (code === 'ECONNREFUSED') return 'connection-refused';
  if (DNS_CODES.has(code)) return 'dns';
  if (TLS_CODES.has(code) || TLS_PREFIXES.some((p) => code.startsWith(p))) return 'tls';
  return undefined;
}

/**
 * Classifies a request error (got's `RequestError` family or a plain Node.js error) by its
 * code: timeouts, refused connections, DNS failures and TLS failures have their own reason;
 * anything else is `error`.
 */
export function classifyError(err: unknown): FailureReason {
  if (err instanceof Error && err.name === 'TimeoutError') return 'timeout';
  for (const code of errorCodes(err)) {
    const reason = reasonOfCode(code);
    if (reason !== undefined) return reason;
  }
  return 'error';
}
