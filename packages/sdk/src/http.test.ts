import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { HTTPError, TimeoutError } from 'got';
import { createHttpClient } from './http.js';

interface Seen {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly userAgent: string | undefined;
}

describe('createHttpClient', () => {
  let server: Server;
  let base: string;
  const seen: Seen[] = [];
  let failuresLeft = 0;

  before(async () => {
    server = createServer((req: IncomingMessage, res) => {
      seen.push({ method: req.method, url: req.url, userAgent: req.headers['user-agent'] });
      if (req.url === '/slow') return; // never answers
      if (req.url === '/flaky' && failuresLeft > 0) {
        failuresLeft--;
        res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('makes exactly one attempt: a 500 rejects with HTTPError and is not retried', async () => {
    seen.length = 0;
    failuresLeft = 1;
    const http = createHttpClient({ timeoutMs: 2_000, userAgent: 'muster/test' });
    await assert.rejects(http.get(`${base}/flaky`), (err: unknown) => {
      assert.ok(err instanceof HTTPError);
      assert.equal(err.response.statusCode, 500);
      return true;
    });
    assert.equal(seen.length, 1, 'one request reached the server');
    // The server would have answered 200 to a retry.
    assert.equal(failuresLeft, 0);
  });

  it('does not retry other methods either', async () => {
    seen.length = 0;
    failuresLeft = 1;
    const http = createHttpClient({ timeoutMs: 2_000, userAgent: 'muster/test' });
    await assert.rejects(http.put(`${base}/flaky`, { body: 'x' }), HTTPError);
    assert.equal(seen.length, 1);
  });

  it('sends the user agent and reads a 2xx answer', async () => {
    seen.length = 0;
    const http = createHttpClient({ timeoutMs: 2_000, userAgent: 'muster/1.2.3' });
    const body = await http.get(`${base}/ok`).json<{ ok: boolean }>();
    assert.deepEqual(body, { ok: true });
    assert.deepEqual(seen, [{ method: 'GET', url: '/ok', userAgent: 'muster/1.2.3' }]);
  });

  it('gives up after timeoutMs with a TimeoutError, once', async () => {
    seen.length = 0;
    const http = createHttpClient({ timeoutMs: 150, userAgent: 'muster/test' });
    const started = performance.now();
    await assert.rejects(http.get(`${base}/slow`), TimeoutError);
    const elapsed = performance.now() - started;
    // Not before the timeout; how long after it is the machine's business (timing lives in bench/).
    assert.ok(elapsed >= 140, `gave up after ${elapsed} ms, before the 150 ms timeout`);
    assert.equal(seen.length, 1);
  });

  it('stops a request when its signal aborts', async () => {
    const http = createHttpClient({ timeoutMs: 5_000, userAgent: 'muster/test' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('cycle deadline')), 100);
    const started = performance.now();
    await assert.rejects(http.get(`${base}/slow`, { signal: controller.signal }));
    assert.ok(performance.now() - started < 1_000);
  });
});
