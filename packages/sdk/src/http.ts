import { createRequire } from 'node:module';
import type { Got } from 'got';

/**
 * got, loaded at the first client made: it and the modules it pulls in cost tens of MiB of
 * memory, which an exporter whose plugins do no HTTP (system, postgres) does not pay. Node
 * loads the ES module synchronously through require().
 */
let gotDefault: Got | undefined;
function loadGot(): Got {
  gotDefault ??= (createRequire(import.meta.url)('got') as { default: Got }).default;
  return gotDefault;
}

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
  return loadGot().extend({
    retry: { limit: 0 },
    timeout: { request: options.timeoutMs },
    headers: { 'user-agent': options.userAgent },
    throwHttpErrors: true,
  });
}

export type { Got } from 'got';
