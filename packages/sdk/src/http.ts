import got, { type Got } from 'got';

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  /** Whole-request timeout in milliseconds. */
  timeoutMs: number;
  /** The `User-Agent` header sent with every request. */
  userAgent: string;
}

/**
 * A got instance set up the way every collector should use HTTP: one attempt (no silent
 * retries), a request timeout, a user agent. Non-2xx answers still throw (`HTTPError`), which
 * fails the cycle unless the collector handles them; pass `throwHttpErrors: false` to read them.
 * Pass the cycle's `signal` to every request so a timed-out cycle stops its I/O.
 */
export function createHttpClient(options: HttpClientOptions): Got {
  return got.extend({
    retry: { limit: 0 },
    timeout: { request: options.timeoutMs },
    headers: { 'user-agent': options.userAgent },
    throwHttpErrors: true,
  });
}

export type { Got } from 'got';
