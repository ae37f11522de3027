import type { Got, PlainResponse } from 'got';
import { JenkinsError, statusError, transportError } from './errors.js';

/** A parsed JSON answer and the headers it came with. */
export interface JsonAnswer {
  readonly body: unknown;
  readonly headers: PlainResponse['headers'];
  /** Bytes of the body as received. */
  readonly bytes: number;
}

/** Options of {@link getJson}. */
export interface GetJsonOptions {
  readonly signal?: AbortSignal | undefined;
  readonly maxBytes: number;
  /** For messages: what was being read (`job tree`, `queue`…). */
  readonly what: string;
}

/**
 * GETs `url` and parses its JSON body, reading at most `maxBytes`. Non-2xx, an HTML page where
 * JSON was expected (Jenkins' login page answers 200), malformed JSON and transport failures all
 * become a {@link JenkinsError}.
 */
export async function getJson(http: Got, url: string, options: GetJsonOptions): Promise<JsonAnswer> {
  const { what } = options;
  let response: PlainResponse;
  const chunks: Buffer[] = [];
  let bytes = 0;
  try {
    const stream = http.stream(url, {
      method: 'GET',
      throwHttpErrors: false,
      retry: { limit: 0 },
      headers: { accept: 'application/json' },
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    response = await new Promise<PlainResponse>((resolve, reject) => {
      stream.once('response', resolve);
      stream.once('error', reject);
    });
    if (response.statusCode < 200 || response.statusCode > 299) {
      stream.destroy();
      throw statusError(response.statusCode, what);
    }
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > options.maxBytes) {
        stream.destroy();
        throw new JenkinsError('too-large', `${what}: the answer is larger than the ${options.maxBytes}-byte limit`);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (options.signal?.aborted) throw new JenkinsError('aborted', `${what}: aborted`, { cause: options.signal.reason });
    throw transportError(err, what);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const type = String(response.headers['content-type'] ?? '');
  if (/html/i.test(type) || /^\s*</.test(text)) {
    throw new JenkinsError('login-page', `${what}: expected JSON, got an HTML page (a login or proxy page? check the URL and credentials)`, {
      status: response.statusCode,
    });
  }
  try {
    return { body: JSON.parse(text) as unknown, headers: response.headers, bytes };
  } catch (err) {
    throw new JenkinsError('malformed-json', `${what}: the answer is not valid JSON (${(err as Error).message})`, {
      status: response.statusCode,
      cause: err,
    });
  }
}
