/** Why a Jenkins request failed: a closed set, for metrics and messages. */
export type JenkinsErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'server-error'
  | 'http-error'
  | 'login-page'
  | 'malformed-json'
  | 'too-large'
  | 'timeout'
  | 'connection-refused'
  | 'dns'
  | 'tls'
  | 'network'
  | 'aborted';

/** A failed Jenkins request. The message never contains credentials. */
export class JenkinsError extends Error {
  readonly kind: JenkinsErrorKind;
  readonly status: number | undefined;

  constructor(kind: JenkinsErrorKind, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'JenkinsError';
    this.kind = kind;
    this.status = options.status;
  }
}

const TLS_CODES = /^(CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|ERR_TLS_|ERR_SSL_|EPROTO$|HOSTNAME_MISMATCH)/;

/** The error code of a got/node error or any error in its `cause` chain. */
function codeOf(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 5 && e !== null && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'ERR_GOT_REQUEST_ERROR') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Turns a transport error (from got or node) into a {@link JenkinsError}. */
export function transportError(err: unknown, what: string): JenkinsError {
  if (err instanceof JenkinsError) return err;
  const code = codeOf(err) ?? '';
  const detail = err instanceof Error ? err.message : String(err);
  if (code === 'ETIMEDOUT' || (err as Error)?.name === 'TimeoutError') {
    return new JenkinsError('timeout', `${what}: Jenkins did not answer in time (${detail})`, { cause: err });
  }
  if (code === 'ECONNREFUSED') return new JenkinsError('connection-refused', `${what}: connection refused`, { cause: err });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new JenkinsError('dns', `${what}: host not found`, { cause: err });
  if (TLS_CODES.test(code)) return new JenkinsError('tls', `${what}: TLS error ${code}`, { cause: err });
  if (code === 'ERR_ABORTED' || (err as Error)?.name === 'AbortError') {
    return new JenkinsError('aborted', `${what}: aborted`, { cause: err });
  }
  return new JenkinsError('network', `${what}: ${code === '' ? detail : code}`, { cause: err });
}

/** Turns a non-2xx status into a {@link JenkinsError}. */
export function statusError(status: number, what: string): JenkinsError {
  if (status === 401) return new JenkinsError('unauthorized', `${what}: 401 Unauthorized (check username and API token)`, { status });
  if (status === 403) return new JenkinsError('forbidden', `${what}: 403 Forbidden (the user lacks Overall/Read or Job/Read)`, { status });
  if (status === 404) return new JenkinsError('not-found', `${what}: 404 Not Found (check the URL and its path prefix)`, { status });
  if (status >= 500) return new JenkinsError('server-error', `${what}: Jenkins answered ${status}`, { status });
  return new JenkinsError('http-error', `${what}: Jenkins answered ${status}`, { status });
}
