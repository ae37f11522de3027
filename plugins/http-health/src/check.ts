import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { Got, PlainResponse } from 'got';
import { errorCodes } from '@muster/sdk';
import { classifyError, type FailureReason } from './classify.js';
import type { METHODS } from './config.js';
import { RequestClock } from './request-clock.js';
import { type StatusRange, statusMatches } from './status.js';

/** Everything one check needs, resolved from the config once. */
export interface CheckOptions {
  readonly url: string;
  readonly method: (typeof METHODS)[number];
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  readonly expectedStatus: readonly StatusRange[];
  readonly bodyMatch: RegExp | undefined;
  readonly timeoutMs: number;
  readonly followRedirects: boolean;
  readonly maxRedirects: number;
  readonly maxBodyBytes: number;
  readonly ca: string | undefined;
  readonly insecureSkipVerify: boolean;
  readonly agents: { readonly http: HttpAgent; readonly https: HttpsAgent };
}

/** What one check found. A failing target is a result, not an exception. */
export interface CheckResult {
  readonly healthy: boolean;
  readonly reason: FailureReason;
  /** The final response's status code; 0 when no response arrived. */
  readonly statusCode: number;
  /** Body bytes read (after decompression); at most a chunk past `maxBodyBytes`. */
  readonly bytes: number;
  /**
   * Seconds from the request's start (handed to the network) to the arrival of the end of its
   * body, when a response was read whole (or cut at the size limit): see {@link RequestClock}.
   */
  readonly durationSeconds: number | undefined;
  /** For the debug log: the error code and message (no URL, no header values). */
  readonly detail: string | undefined;
}

/** Reads the body of `stream` up to `limit` bytes; stops reading beyond it. */
async function readBody(stream: AsyncIterable<Buffer>, limit: number): Promise<{ body: Buffer; bytes: number; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream) {
    bytes += chunk.length;
    // Leaving the loop destroys the stream: nothing more is downloaded.
    if (bytes > limit) return { body: Buffer.alloc(0), bytes, truncated: true };
    chunks.push(chunk);
  }
  return { body: Buffer.concat(chunks), bytes, truncated: false };
}

function judge(options: CheckOptions, statusCode: number, body: Buffer, truncated: boolean): FailureReason {
  if (!statusMatches(statusCode, options.expectedStatus)) return 'status-mismatch';
  if (truncated) return 'body-too-large';
  if (options.bodyMatch !== undefined && !options.bodyMatch.test(body.toString('utf8'))) return 'body-mismatch';
  return 'none';
}

/**
 * Sends one request and classifies the outcome. Resolves for every target failure (refused,
 * timed out, wrong status, TLS…); rejects only when `signal` fires (the cycle's deadline or a
 * shutdown) or on a programming error.
 */
export async function runCheck(http: Got, options: CheckOptions, signal: AbortSignal): Promise<CheckResult> {
  signal.throwIfAborted();
  let statusCode = 0;
  try {
    const stream = http.stream(options.url, {
      method: options.method,
      headers: { ...options.headers },
      ...(options.body === undefined ? {} : { body: options.body }),
      throwHttpErrors: false,
      retry: { limit: 0 },
      timeout: { request: options.timeoutMs },
      followRedirect: options.followRedirects,
      maxRedirects: options.maxRedirects,
      https: { rejectUnauthorized: !options.insecureSkipVerify, ...(options.ca === undefined ? {} : { certificateAuthority: options.ca }) },
      agent: { http: options.agents.http, https: options.agents.https },
      signal,
    });
    const clock = new RequestClock(stream);
    // A stream request with a method that may carry a body waits for one: end it when there is none.
    if (options.body === undefined && options.method !== 'GET' && options.method !== 'HEAD') stream.end();
    const response = await new Promise<PlainResponse>((resolve, reject) => {
      stream.once('response', resolve);
      stream.once('error', reject);
    });
    statusCode = response.statusCode;
    const { body, bytes, truncated } = await readBody(stream, options.maxBodyBytes);
    const durationSeconds = clock.seconds();
    const reason = judge(options, statusCode, body, truncated);
    const detail = reason === 'none' ? undefined : `status ${statusCode}, ${bytes} body bytes read`;
    return { healthy: reason === 'none', reason, statusCode, bytes, durationSeconds, detail };
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    const code = errorCodes(err)[0] ?? 'no code';
    const message = err instanceof Error ? err.message : String(err);
    return {
      healthy: false,
      reason: classifyError(err),
      statusCode,
      bytes: 0,
      durationSeconds: undefined,
      detail: `${code}: ${message}`.slice(0, 300),
    };
  }
}
