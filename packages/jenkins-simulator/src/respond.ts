/**
 * The answer to one request, and how it is written to the socket.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { SimFaults } from './options.js';

/** One answer: status, body and its kind, extra headers. */
export interface Answer {
  status: number;
  body: string;
  type: 'json' | 'html';
  headers?: Record<string, string | string[]>;
}

/** What every answer of one simulator carries. */
export interface SendOptions {
  readonly version: string;
  readonly session: string;
  readonly gzip: boolean;
}

/**
 * Writes `answer` as Jenkins (Jetty) would: its headers, gzip when asked, and the faults that
 * spoil a body (malformed JSON, a body cut in half).
 */
export function send(req: IncomingMessage, res: ServerResponse, answer: Answer, faults: SimFaults, site: SendOptions): void {
  let text = answer.body;
  if (faults.malformedJson && answer.type === 'json') text = `${text.slice(0, -1)},"_class":}`;
  let body = Buffer.from(text, 'utf8');
  const headers: Record<string, string | string[] | number> = {
    'X-Content-Type-Options': 'nosniff',
    'X-Jenkins': site.version,
    'X-Jenkins-Session': site.session,
    'Content-Type': answer.type === 'json' ? 'application/json;charset=utf-8' : 'text/html;charset=utf-8',
    ...answer.headers,
  };
  if (answer.type === 'json') headers['X-Frame-Options'] = 'deny';
  const accepts = String(req.headers['accept-encoding'] ?? '');
  if (site.gzip && /\bgzip\b/i.test(accepts) && body.length > 0) {
    body = gzipSync(body);
    headers['Content-Encoding'] = 'gzip';
    headers.Vary = 'Accept-Encoding';
  }
  headers['Content-Length'] = body.length;
  res.writeHead(answer.status, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  if (faults.truncate) {
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
    return;
  }
  res.end(body);
}
