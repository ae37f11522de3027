import assert from 'node:assert/strict';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { describe, test } from 'node:test';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { type CycleResult, sampleValue } from '@muster/testing';
import { testKit } from './testing/kit.js';
import type { Handler, TestServer } from './testing/servers.js';

const { serve, harness, once } = testKit();

const reasonOf = (result: CycleResult) =>
  result.exposition.samples.find((s) => s.name === 'http_health_failure_reason' && s.value === 1)?.labels.http_health_failure_reason;
const size = (result: CycleResult) => sampleValue(result.exposition, 'http_health_response_size_bytes');

/** A server that records each request's headers and answers with `answer`. */
async function recording(answer: Handler): Promise<{ server: TestServer; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = await serve((req, res) => {
    seen.push(req.headers);
    answer(req, res);
  });
  return { server, seen };
}

describe('the request a check sends', { timeout: 30_000 }, () => {
  test("muster's User-Agent and the encodings it decodes, unless configured; header names in any case", async () => {
    const { server, seen } = await recording((_req, res) => res.end('ok'));
    assert.equal(reasonOf(await once({ url: server.url })), 'none');
    assert.match(String(seen[0]?.['user-agent']), /^muster\/\d+\.\d+\.\d+/);
    assert.equal(seen[0]?.['accept-encoding'], 'gzip, deflate, br');
    await once({ url: server.url, headers: { 'User-Agent': 'probe/1', 'Accept-Encoding': 'identity' } });
    assert.equal(seen[1]?.['user-agent'], 'probe/1');
    assert.equal(seen[1]?.['accept-encoding'], 'identity');
  });

  test('credentials in the URL are sent as basic auth, percent-decoded', async () => {
    const { server, seen } = await recording((_req, res) => res.end('ok'));
    const url = new URL(server.url);
    url.username = 'ad%40min';
    url.password = 'p%3Ass';
    assert.equal(reasonOf(await once({ url: url.href })), 'none');
    assert.equal(seen[0]?.authorization, `Basic ${Buffer.from('ad@min:p:ss').toString('base64')}`);
  });
});

describe('compressed answers are read as the server meant them', { timeout: 30_000 }, () => {
  const text = `status: all good ${'padding '.repeat(200)}`;
  const encodings: Record<string, (b: Buffer) => Buffer> = { gzip: gzipSync, 'x-gzip': gzipSync, deflate: deflateSync, br: brotliCompressSync };

  for (const [encoding, encode] of Object.entries(encodings)) {
    test(`${encoding}: bodyMatch sees the decoded text and the size is of the decoded body`, async () => {
      const server = await serve((_req, res) => {
        res.writeHead(200, { 'content-encoding': encoding });
        res.end(encode(Buffer.from(text)));
      });
      const result = await once({ url: server.url, bodyMatch: '^status: all good' });
      assert.equal(reasonOf(result), 'none');
      assert.equal(size(result), Buffer.byteLength(text));
    });
  }

  test('a body that is not what its encoding says is an error, with the status seen', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end('this is not gzip at all');
    });
    const result = await once({ url: server.url });
    assert.equal(reasonOf(result), 'error');
    assert.equal(sampleValue(result.exposition, 'http_health_status_code'), 200);
  });

  test('a compressed body cut short is an error, not the part that decoded', async () => {
    const whole = gzipSync(Buffer.from(text));
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(whole.subarray(0, whole.length >> 1));
    });
    assert.equal(reasonOf(await once({ url: server.url, bodyMatch: '^status' })), 'error');
  });

  test('an unknown encoding is read as it came', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'snappy-ish' });
      res.end('raw');
    });
    const result = await once({ url: server.url, bodyMatch: '^raw$' });
    assert.equal(reasonOf(result), 'none');
  });

  test('HEAD, 204 and an empty gzip body are healthy', async () => {
    const server = await serve((req, res) => {
      res.writeHead(req.url === '/nothing' ? 204 : 200, { 'content-encoding': 'gzip' });
      res.end();
    });
    assert.equal(reasonOf(await once({ url: server.url, method: 'HEAD' })), 'none');
    assert.equal(reasonOf(await once({ url: `${server.url}/nothing`, expectedStatus: [204] })), 'none');
    assert.equal(reasonOf(await once({ url: server.url })), 'none');
  });

  test('a small gzip body that inflates past maxBodyBytes is cut off: body-too-large', async () => {
    // 64 MiB of zeros, about 64 KB compressed: the limit counts what the check would have to read.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(bomb);
    });
    const result = await once({ url: server.url, maxBodyBytes: 100_000 });
    assert.equal(reasonOf(result), 'body-too-large');
    assert.ok(size(result) > 100_000 && size(result) < 1_000_000, `read ${size(result)} bytes`);
  });
});

/** A server that answers every request with a 302 to `location`. */
function redirectingTo(location: string): Promise<TestServer> {
  return serve((_req, res) => {
    res.writeHead(302, { location });
    res.end();
  });
}

/** Calls `then` with the request's whole body. */
function readAll(req: IncomingMessage, then: (body: string) => void): void {
  let body = '';
  req.on('data', (c: Buffer) => {
    body += c.toString();
  });
  req.on('end', () => then(body));
}

describe('answers that are not HTTP responses to read', { timeout: 30_000 }, () => {
  test('a 101 (switching protocols) is an error of that check; the next check runs', async () => {
    let requests = 0;
    const server = createNetServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', () => {
        requests++;
        socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const h = await harness({ url: `http://127.0.0.1:${port}/ws` });
      for (let i = 1; i <= 3; i++) {
        const result = await h.cycle();
        assert.equal(result.health.up, true, `cycle ${i} succeeds`);
        assert.equal(reasonOf(result), 'error');
      }
      assert.equal(requests, 3, 'every cycle sent its check');
    } finally {
      server.close();
    }
  });

  test('a connection closed before any answer is an error, and the next check runs', async () => {
    const server = createNetServer((socket) => {
      socket.once('data', () => socket.end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const h = await harness({ url: `http://127.0.0.1:${port}/` });
      assert.equal(reasonOf(await h.cycle()), 'error');
      assert.equal(reasonOf(await h.cycle()), 'error');
    } finally {
      server.close();
    }
  });
});

describe('redirects as the check follows them', { timeout: 30_000 }, () => {
  test('303 after a POST fetches the new location with GET and no body', async () => {
    const seen: string[] = [];
    const server = await serve((req, res) => {
      readAll(req, (body) => {
        seen.push(`${req.method} ${req.url} ${req.headers['content-type'] ?? '-'} ${body || '-'}`);
        if (req.url === '/submit') {
          res.writeHead(303, { location: '/result' });
          res.end();
        } else res.end('done');
      });
    });
    const result = await once({ url: `${server.url}/submit`, method: 'POST', body: 'x=1', headers: { 'content-type': 'text/plain' }, bodyMatch: 'done' });
    assert.equal(reasonOf(result), 'none');
    assert.deepEqual(seen, ['POST /submit text/plain x=1', 'GET /result - -']);
  });

  test('307 keeps the method and body', async () => {
    const seen: string[] = [];
    const server = await serve((req, res) => {
      readAll(req, (body) => {
        seen.push(`${req.method} ${req.url} ${body}`);
        if (req.url === '/a') {
          res.writeHead(307, { location: '/b' });
          res.end();
        } else res.end('ok');
      });
    });
    assert.equal(reasonOf(await once({ url: `${server.url}/a`, method: 'PUT', body: 'v' })), 'none');
    assert.deepEqual(seen, ['PUT /a v', 'PUT /b v']);
  });

  test('credentials go to the configured origin only, not to the origin it redirects to', async () => {
    const other = await recording((_req, res) => res.end('ok'));
    const { server, seen } = await recording((_req, res) => {
      res.writeHead(302, { location: `${other.server.url}/landed` });
      res.end();
    });
    const result = await once({ url: server.url, headers: { authorization: 'Bearer t0ken', cookie: 'session=1', 'x-trace': 'kept' } });
    assert.equal(reasonOf(result), 'none');
    assert.equal(seen[0]?.authorization, 'Bearer t0ken');
    assert.equal(other.seen[0]?.authorization, undefined);
    assert.equal(other.seen[0]?.cookie, undefined);
    assert.equal(other.seen[0]?.['x-trace'], 'kept');
  });

  test('a redirect to anything but http(s) is an error, and nothing is fetched', async () => {
    const server = await redirectingTo('file:///etc/passwd');
    const result = await once({ url: server.url });
    assert.equal(reasonOf(result), 'error');
    assert.equal(sampleValue(result.exposition, 'http_health_status_code'), 0);
  });

  test('an empty Location is the answer: its status is checked, nothing more is fetched', async () => {
    const server = await redirectingTo('');
    const result = await once({ url: server.url });
    assert.equal(reasonOf(result), 'status-mismatch');
    assert.equal(sampleValue(result.exposition, 'http_health_status_code'), 302);
    assert.equal(server.requests, 1);
  });

  test('credentials in the URL follow a redirect that names the same origin in full', async () => {
    const { server, seen } = await recording((req, res) => {
      if (req.url === '/health') {
        res.writeHead(301, { location: `${server.url}/health/` });
        res.end();
      } else res.end('ok');
    });
    const url = new URL(`${server.url}/health`);
    url.username = 'reader';
    url.password = 'pw';
    assert.equal(reasonOf(await once({ url: url.href })), 'none');
    const basic = `Basic ${Buffer.from('reader:pw').toString('base64')}`;
    assert.deepEqual(
      seen.map((h) => h.authorization),
      [basic, basic],
    );
  });

  test('a Location in UTF-8 leads to the path it names', async () => {
    const paths: string[] = [];
    const server = await serve((req, res) => {
      paths.push(req.url ?? '');
      if (req.url === '/old') {
        // Node sends a header string's code points as bytes: these are the UTF-8 bytes of the path.
        res.writeHead(302, { location: Buffer.from('/café/health').toString('latin1') });
        res.end();
      } else res.end(req.url === '/caf%C3%A9/health' ? 'ok' : 'wrong path');
    });
    assert.equal(reasonOf(await once({ url: `${server.url}/old`, bodyMatch: '^ok$' })), 'none');
    assert.deepEqual(paths, ['/old', '/caf%C3%A9/health']);
  });

  test('the timeout covers every hop together', async () => {
    // Each hop answers after 400 ms; five hops take 2 s, past the 1 s timeout, though none alone does.
    const server = await serve((req, res) => {
      const n = Number(req.url?.slice(1) || 0);
      setTimeout(() => {
        if (n < 4) {
          res.writeHead(302, { location: `/${n + 1}` });
          res.end();
        } else res.end('ok');
      }, 400);
    });
    const result = await once({ url: `${server.url}/0`, timeout: '1s' });
    assert.equal(reasonOf(result), 'timeout');
    assert.ok(server.requests < 5, `${server.requests} requests`);
  });
});
