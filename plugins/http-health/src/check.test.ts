import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type CycleResult, type ParsedExposition, sampleValue } from '@muster/testing';
import { testKit } from './testing/kit.js';
import { closedPort } from './testing/servers.js';

const { serve, harness, once } = testKit();

const state = (e: ParsedExposition, value: string) => sampleValue(e, 'http_health_status', { http_health_status: value });
const reason = (e: ParsedExposition, value: string) =>
  sampleValue(e, 'http_health_failure_reason', { http_health_failure_reason: value });
const statusCode = (e: ParsedExposition) => sampleValue(e, 'http_health_status_code');
const checks = (e: ParsedExposition, result: string) => sampleValue(e, 'http_health_checks_total', { result });
const latencyCount = (e: ParsedExposition) => sampleValue(e, 'http_health_request_duration_seconds_count');

function assertUnhealthy(result: CycleResult, why: string): void {
  const e = result.exposition;
  assert.equal(result.health.up, true, 'a failing target is a result, not a failed cycle');
  assert.deepEqual(e.problems, []);
  assert.equal(state(e, 'unhealthy'), 1);
  assert.equal(state(e, 'healthy'), 0);
  assert.equal(reason(e, why), 1);
  assert.equal(reason(e, 'none'), 0);
}

function assertHealthy(result: CycleResult): void {
  const e = result.exposition;
  assert.equal(result.health.up, true);
  assert.deepEqual(e.problems, []);
  assert.equal(state(e, 'healthy'), 1);
  assert.equal(state(e, 'unhealthy'), 0);
  assert.equal(reason(e, 'none'), 1);
}

describe('http-health against a local HTTP server', { timeout: 30_000 }, () => {
  test('a 200 is healthy; the histogram and the counter grow across cycles', async () => {
    const server = await serve((_req, res) => res.end('ok'));
    const h = await harness({ url: `${server.url}/health` });
    const first = await h.cycle();
    assertHealthy(first);
    assert.equal(statusCode(first.exposition), 200);
    assert.equal(sampleValue(first.exposition, 'http_health_response_size_bytes'), 2);
    assert.equal(latencyCount(first.exposition), 1);
    assert.equal(checks(first.exposition, 'healthy'), 1);
    assert.equal(checks(first.exposition, 'unhealthy'), 0);
    for (const sample of first.exposition.samples) assert.equal(sample.labels.collector, 'test');

    const second = await h.cycle();
    assertHealthy(second);
    assert.equal(latencyCount(second.exposition), 2);
    assert.equal(checks(second.exposition, 'healthy'), 2);
    const third = await h.cycle();
    assert.equal(latencyCount(third.exposition), 3);
    assert.equal(checks(third.exposition, 'healthy'), 3);
    assert.equal(server.requests, 3);
  });

  test('a status outside expectedStatus is status-mismatch, still a successful cycle', async () => {
    const server = await serve((_req, res) => {
      res.statusCode = 503;
      res.end('down for maintenance');
    });
    const result = await once({ url: server.url });
    assertUnhealthy(result, 'status-mismatch');
    assert.equal(statusCode(result.exposition), 503);
    assert.equal(latencyCount(result.exposition), 1, 'a response with the wrong status is still timed');
    assert.equal(checks(result.exposition, 'unhealthy'), 1);
    assert.equal(checks(result.exposition, 'healthy'), 0);
  });

  test('expectedStatus accepts codes, classes and ranges', async () => {
    const server = await serve((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
    assertHealthy(await once({ url: server.url, expectedStatus: [404] }));
    assertHealthy(await once({ url: server.url, expectedStatus: ['4xx'] }));
    assertHealthy(await once({ url: server.url, expectedStatus: [200, '400-404'] }));
    assertUnhealthy(await once({ url: server.url, expectedStatus: ['405-499', '2xx'] }), 'status-mismatch');
  });

  test('bodyMatch: a body that does not match is body-mismatch; one that does is healthy', async () => {
    const server = await serve((_req, res) => res.end('{"status":"degraded"}'));
    assertUnhealthy(await once({ url: server.url, bodyMatch: '"status":\\s*"ok"' }), 'body-mismatch');
    assertHealthy(await once({ url: server.url, bodyMatch: '"status":\\s*"(ok|degraded)"' }));
  });

  test('recovery: 500 then 200 goes back to healthy', async () => {
    let fail = true;
    const server = await serve((_req, res) => {
      res.statusCode = fail ? 500 : 200;
      res.end();
    });
    const h = await harness({ url: server.url });
    const down = await h.cycle();
    assertUnhealthy(down, 'status-mismatch');
    assert.equal(statusCode(down.exposition), 500);
    fail = false;
    const up = await h.cycle();
    assertHealthy(up);
    assert.equal(statusCode(up.exposition), 200);
    assert.equal(checks(up.exposition, 'healthy'), 1);
    assert.equal(checks(up.exposition, 'unhealthy'), 1);
  });

  test('a refused connection is connection-refused, status code 0', async () => {
    const port = await closedPort();
    const result = await once({ url: `http://127.0.0.1:${port}/` });
    assertUnhealthy(result, 'connection-refused');
    assert.equal(statusCode(result.exposition), 0);
    assert.equal(sampleValue(result.exposition, 'http_health_response_size_bytes'), 0);
    assert.equal(latencyCount(result.exposition), 0, 'no response, no latency observation');
  });

  test('a server that never answers is a timeout inside the instance deadline', async () => {
    const server = await serve(() => {});
    const result = await once({ url: server.url });
    assertUnhealthy(result, 'timeout');
    assert.equal(statusCode(result.exposition), 0);
    assert.ok(result.health.lastDurationSeconds < 2, `cycle took ${result.health.lastDurationSeconds}s`);
    assert.ok(result.health.lastDurationSeconds > 1, 'the default request timeout is close to the 2s deadline');
  });

  test('a configured timeout is used', async () => {
    const server = await serve(() => {});
    const result = await once({ url: server.url, timeout: '300ms' });
    assertUnhealthy(result, 'timeout');
    assert.ok(result.health.lastDurationSeconds < 1, `cycle took ${result.health.lastDurationSeconds}s`);
  });

  test('a body that stalls after the headers is a timeout, with the status code seen', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
    });
    const result = await once({ url: server.url, timeout: '300ms' });
    assertUnhealthy(result, 'timeout');
    assert.equal(statusCode(result.exposition), 200);
  });

  test('redirects are followed by default and reported with followRedirects: false', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/old') {
        res.writeHead(302, { location: '/new' });
        res.end();
      } else res.end('here');
    });
    const followed = await once({ url: `${server.url}/old` });
    assertHealthy(followed);
    assert.equal(statusCode(followed.exposition), 200);
    const reported = await once({ url: `${server.url}/old`, followRedirects: false });
    assertUnhealthy(reported, 'status-mismatch');
    assert.equal(statusCode(reported.exposition), 302);
    assertHealthy(await once({ url: `${server.url}/old`, followRedirects: false, expectedStatus: [302] }));
  });

  test('too many redirects is an error', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(302, { location: '/again' });
      res.end();
    });
    assertUnhealthy(await once({ url: server.url, maxRedirects: 2 }), 'error');
  });

  test('a body larger than maxBodyBytes is cut off and reported as body-too-large', async () => {
    const chunk = Buffer.alloc(16 * 1024, 'x');
    let finished = false;
    const server = await serve((_req, res) => {
      let sent = 0;
      const push = () => {
        // 64 MiB unless the client stops reading: it must not read it all.
        while (sent < 4096) {
          sent++;
          if (!res.write(chunk)) {
            res.once('drain', push);
            return;
          }
        }
        finished = true;
        res.end();
      };
      res.on('error', () => {});
      push();
    });
    const result = await once({ url: server.url, maxBodyBytes: 100_000 });
    assertUnhealthy(result, 'body-too-large');
    assert.equal(statusCode(result.exposition), 200);
    const bytes = sampleValue(result.exposition, 'http_health_response_size_bytes');
    assert.ok(bytes > 100_000 && bytes < 1_000_000, `read ${bytes} bytes`);
    assert.equal(finished, false, 'the client stopped reading');
  });

  test('a body of exactly maxBodyBytes is fine', async () => {
    const server = await serve((_req, res) => res.end(Buffer.alloc(1000, 'y')));
    assertHealthy(await once({ url: server.url, maxBodyBytes: 1000 }));
  });

  test('POST sends the configured body and headers', async () => {
    const seen: { method?: string; auth?: string; type?: string; body?: string } = {};
    const server = await serve((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => {
        body += c;
      });
      req.on('end', () => {
        Object.assign(seen, { method: req.method, auth: req.headers.authorization, type: req.headers['content-type'], body });
        const ok = req.method === 'POST' && req.headers.authorization === 'Bearer s3cret' && body === '{"ping":true}';
        res.statusCode = ok ? 201 : 400;
        res.end();
      });
    });
    const result = await once({
      url: `${server.url}/probe`,
      method: 'POST',
      headers: { authorization: 'Bearer s3cret', 'content-type': 'application/json' },
      body: '{"ping":true}',
      expectedStatus: [201],
    });
    assert.deepEqual(seen, { method: 'POST', auth: 'Bearer s3cret', type: 'application/json', body: '{"ping":true}' });
    assertHealthy(result);
  });

  test('a POST without a body is sent (not left waiting for one)', async () => {
    const server = await serve((req, res) => {
      req.resume();
      req.on('end', () => res.end(req.method));
    });
    assertHealthy(await once({ url: server.url, method: 'POST', bodyMatch: '^POST$', timeout: '1s' }));
    assertHealthy(await once({ url: server.url, method: 'DELETE', bodyMatch: '^DELETE$', timeout: '1s' }));
  });

  test('HEAD is checked by status alone', async () => {
    const server = await serve((req, res) => {
      res.statusCode = req.method === 'HEAD' ? 204 : 500;
      res.end();
    });
    assertHealthy(await once({ url: server.url, method: 'HEAD' }));
  });

  test('the check runs a new connection each time and the collector closes cleanly', async () => {
    const sockets = new Set<unknown>();
    const server = await serve((req, res) => {
      sockets.add(req.socket);
      res.end('ok');
    });
    const h = await harness({ url: server.url });
    await h.cycle();
    await h.cycle();
    assert.equal(sockets.size, 2);
    await h.close();
  });

  test('header values never reach the logs', async () => {
    const server = await serve((_req, res) => {
      res.statusCode = 500;
      res.end();
    });
    const lines: string[] = [];
    const h = await harness(
      { url: `${server.url}/?x=1`, headers: { authorization: 'Bearer t0ken-value' } },
      { log: (level, fields, message) => lines.push(`${level} ${message} ${JSON.stringify(fields)}`) },
    );
    assertUnhealthy(await h.cycle(), 'status-mismatch');
    assert.ok(lines.some((l) => l.includes('check unhealthy') && l.includes('status-mismatch')), lines.join('\n'));
    assert.ok(!lines.some((l) => l.includes('t0ken-value')));
  });
});
