import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createHarness, type Harness, type ParsedExposition, sampleValue } from '@muster/testing';
import plugin from './index.js';
import { startServer, type TestServer } from './testing/servers.js';

const servers: TestServer[] = [];
const harnesses: Harness[] = [];
after(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
  await Promise.all(servers.map((s) => s.close()));
});

const F = 'http_health_request_duration_seconds';
const sum = (e: ParsedExposition) => sampleValue(e, `${F}_sum`) ?? Number.NaN;
const count = (e: ParsedExposition) => sampleValue(e, `${F}_count`);
const bucket = (e: ParsedExposition, le: string) => sampleValue(e, `${F}_bucket`, { le });

async function check(handler: Parameters<typeof startServer>[0], config: Record<string, unknown> = {}) {
  const server = await startServer(handler);
  servers.push(server);
  const h = await createHarness(plugin, { url: `${server.url}/health`, ...config }, { timeout: '5s' });
  harnesses.push(h);
  return h.cycle();
}

// The backend's slowness is the whole point of the histogram: each delay below must show in full.
// Only lower bounds are asserted: a busy machine can make a check slower, never faster.
describe('the recorded duration shows a slow backend as slow', { timeout: 30_000 }, () => {
  test('headers sent after 300 ms', async () => {
    const r = await check((_req, res) => setTimeout(() => res.end('ok'), 300));
    assert.equal(count(r.exposition), 1);
    assert.ok(sum(r.exposition) >= 0.3, `recorded ${sum(r.exposition)} s`);
    assert.equal(bucket(r.exposition, '0.25'), 0);
    // The request's span lies inside the cycle's.
    assert.ok(sum(r.exposition) <= r.health.lastDurationSeconds, `${sum(r.exposition)} s > cycle ${r.health.lastDurationSeconds} s`);
  });

  test('headers at once, the end of the body after 300 ms', async () => {
    const r = await check((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first part ');
      setTimeout(() => res.end('last part'), 300);
    });
    assert.equal(count(r.exposition), 1);
    assert.ok(sum(r.exposition) >= 0.3, `recorded ${sum(r.exposition)} s`);
  });

  test('a slow first hop of a redirect counts', async () => {
    const r = await check((req, res) => {
      if (req.url === '/health') setTimeout(() => res.writeHead(302, { location: '/moved' }).end(), 300);
      else res.end('ok');
    });
    assert.equal(sampleValue(r.exposition, 'http_health_status_code'), 200);
    assert.ok(sum(r.exposition) >= 0.3, `recorded ${sum(r.exposition)} s`);
  });

  test('a slow last hop of a redirect counts', async () => {
    const r = await check((req, res) => {
      if (req.url === '/health') res.writeHead(302, { location: '/moved' }).end();
      else setTimeout(() => res.end('ok'), 300);
    });
    assert.ok(sum(r.exposition) >= 0.3, `recorded ${sum(r.exposition)} s`);
  });

  test('a body cut at maxBodyBytes is timed to the cut, after a slow start', async () => {
    const r = await check(
      (_req, res) =>
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('x'.repeat(4096));
          // The rest never comes: the check stops at its limit instead of waiting for it.
        }, 300),
      { maxBodyBytes: 1024 },
    );
    assert.equal(sampleValue(r.exposition, 'http_health_failure_reason', { http_health_failure_reason: 'body-too-large' }), 1);
    assert.equal(count(r.exposition), 1);
    assert.ok(sum(r.exposition) >= 0.3, `recorded ${sum(r.exposition)} s`);
  });
});

describe('the recorded duration across redirects and cut bodies', { timeout: 30_000 }, () => {
  test('a first hop whose body ends while the last hop is read does not end the span', async () => {
    const r = await check(
      (req, res) => {
        if (req.url === '/health') {
          // The redirect's own body trickles: it ends while the check is already on the last hop.
          res.writeHead(302, { location: '/moved', 'content-type': 'text/plain' });
          res.write('moved');
          setTimeout(() => res.end(' for good'), 100);
        } else {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('x'.repeat(512));
          // Past the limit only after 400 ms, and the body never ends: the check stops at its limit.
          setTimeout(() => res.write('x'.repeat(4096)), 400);
        }
      },
      { maxBodyBytes: 1024 },
    );
    assert.equal(sampleValue(r.exposition, 'http_health_failure_reason', { http_health_failure_reason: 'body-too-large' }), 1);
    assert.equal(count(r.exposition), 1);
    assert.ok(sum(r.exposition) >= 0.4, `recorded ${sum(r.exposition)} s`);
  });

  test('a HEAD request with slow headers is timed', async () => {
    const r = await check((_req, res) => setTimeout(() => res.writeHead(200, { 'content-length': '100' }).end(), 300), { method: 'HEAD' });
    assert.equal(sampleValue(r.exposition, 'http_health_status_code'), 200);
    assert.equal(count(r.exposition), 1);
    assert.ok(sum(r.exposition) >= 0.3, `recorded ${sum(r.exposition)} s`);
  });
});
