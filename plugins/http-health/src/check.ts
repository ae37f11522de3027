import type { IncomingMessage } from 'node:http';
import { errorCodes } from '@muster/sdk';
import { classifyError, type FailureReason } from './classify.js';
import { CheckDeadline } from './deadline.js';
import { decodedBody } from './decode.js';
import { exchange, type Transport } from './exchange.js';
import { checkError, type Hop } from './hop.js';
import { redirectHop } from './redirect.js';
import { type StatusRange, statusMatches } from './status.js';

/** Everything one check needs, resolved from the config once. */
export interface CheckOptions extends Transport {
  /** The first request: URL, method, headers (with muster's defaults) and body. */
  readonly request: Hop;
  readonly expectedStatus: readonly StatusRange[];
  readonly bodyMatch: RegExp | undefined;
  /** One deadline for the whole check, every redirect included. */
  readonly timeoutMs: number;
  readonly followRedirects: boolean;
  readonly maxRedirects: number;
  readonly maxBodyBytes: number;
}

/** What one check found. A failing target is a result, not an exception. */
export interface CheckResult {
  readonly healthy: boolean;
  readonly reason: FailureReason;
  /** The final response's status code; 0 when no final response arrived. */
  readonly statusCode: number;
  /** Body bytes read (after decompression); at most a chunk past `maxBodyBytes`. */
  readonly bytes: number;
  /**
   * Seconds from the first request's start (handed to Node's HTTP client, before its connection)
   * to the end of the final response's body, when that body was read whole or cut at the size
   * limit. Redirects are inside the span.
   */
  readonly durationSeconds: number | undefined;
  /** For the debug log: the error code and message (no URL, no header values). */
  readonly detail: string | undefined;
}

/** Reads `stream` up to `limit` bytes; stops reading (and destroys it) beyond. */
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
 * Sends the check's request (following redirects when configured), reads the final body up to
 * its limit and classifies the outcome. Resolves for every target failure (refused, timed out,
 * wrong status, TLS…); rejects only when `signal` fires (the cycle's deadline or a shutdown) or on
 * a programming error.
 */
export async function runCheck(options: CheckOptions, signal: AbortSignal): Promise<CheckResult> {
  signal.throwIfAborted();
  const deadline = new CheckDeadline(signal, options.timeoutMs);
  let statusCode = 0;
  let response: IncomingMessage | undefined;
  try {
    let hop = options.request;
    const start = performance.now();
    for (let redirects = 0; ; redirects++) {
      response = await exchange(hop, options, deadline.signal);
      const next = options.followRedirects ? redirectHop(hop, response.statusCode ?? 0, response.headers.location) : undefined;
      if (next === undefined) break;
      // No keep-alive: a redirect's body is not worth reading, its connection is closed.
      response.destroy();
      if (redirects === options.maxRedirects) throw checkError('ERR_TOO_MANY_REDIRECTS', `more than ${options.maxRedirects} redirects`);
      hop = next;
    }
    statusCode = response.statusCode ?? 0;
    const { body, bytes, truncated } = await readBody(decodedBody(response, hop.method), options.maxBodyBytes);
    const durationSeconds = (performance.now() - start) / 1000;
    const reason = judge(options, statusCode, body, truncated);
    const detail = reason === 'none' ? undefined : `status ${statusCode}, ${bytes} body bytes read`;
    return { healthy: reason === 'none', reason, statusCode, bytes, durationSeconds, detail };
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    // At the deadline Node reports an AbortError, or a reset of a body being read: the deadline is the cause.
    const failure = deadline.expired ? deadline.signal.reason : err;
    const code = errorCodes(failure)[0] ?? 'no code';
    const message = failure instanceof Error ? failure.message : String(failure);
    return {
      healthy: false,
      reason: classifyError(failure),
      statusCode,
      bytes: 0,
      durationSeconds: undefined,
      detail: `${code}: ${message}`.slice(0, 300),
    };
  } finally {
    deadline.dispose();
    response?.destroy();
  }
}
