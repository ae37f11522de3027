import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { isMusterError } from '@muster/core';
import { checkExposition, findSamples, parseExposition, sampleValue } from '@muster/testing';
import { UNKNOWN_ROUTE } from './http-metrics.js';
import { consoleLogger } from './logger.js';
import { createMuster, type Muster } from './muster.js';
import { createMetricsHandler, requestMetrics } from './node.js';
import { FIXTURES, listen, promtoolCheck, toolSkip } from './testing/fixtures.js';

/** A tiny node:http app: `/`, `/users/<id>`, a 404 for the rest, `/metrics` from muster. */
function app(muster: Muster) {
  const metrics = createMetricsHandler(muster);
  const count = requestMetrics(muster, {
    route: (req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/') return '/';
      if (/^\/users\/[^/]+$/.test(path)) return '/users/:id';
      if (path === '/healthz') return undefined; // not counted
      return res.statusCode === 404 ? '(unmatched)' : UNKNOWN_ROUTE;
    },
  });
  return (req: IncomingMessage, res: ServerResponse) => {
    count(req, res);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/metrics') return metrics(req, res);
    if (path === '/' || path.startsWith('/users/') || path === '/healthz') return res.end('hello\n');
    res.statusCode = 404;
    res.end('not found\n');
  };
}

async function get(url: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(url, init);
  await res.arrayBuffer();
  return res;
}

describe('node:http: createMetricsHandler and requestMetrics', () => {
  const muster = createMuster({ logger: consoleLogger('silent'), cwd: FIXTURES, config: { plugins: [{ name: 'tally', use: './plugins/tally.mjs', schedule: 'on-scrape' }] } });
  let server: Awaited<ReturnType<typeof listen>>;

  before(async () => {
    await muster.start();
    server = await listen(app(muster));
  });
  after(async () => {
    await server.close();
    await muster.close();
  });

  async function scrape(): Promise<string> {
    const res = await fetch(`${server.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    return res.text();
  }

  const requests = (text: string, labels: Record<string, string>) => {
    const found = findSamples(parseExposition(text), 'http_requests_total', labels);
    return found.reduce((n, s) => n + s.value, 0);
  };

  it('counts requests by method, route template and status code, exactly', async () => {
    const before = await scrape();
    for (let i = 0; i < 5; i++) assert.equal((await get(`${server.url}/`)).status, 200);
    for (const id of ['1', '2', 'alice']) assert.equal((await get(`${server.url}/users/${id}`)).status, 200);
    for (let i = 0; i < 2; i++) assert.equal((await get(`${server.url}/nope/${i}`)).status, 404);
    assert.equal((await get(`${server.url}/`, { method: 'POST' })).status, 200);
    await get(`${server.url}/healthz`);
    const after = await scrape();
    const delta = (labels: Record<string, string>) => requests(after, labels) - requests(before, labels);
    assert.equal(delta({ method: 'GET', route: '/', status_code: '200' }), 5);
    assert.equal(delta({ method: 'POST', route: '/', status_code: '200' }), 1);
    assert.equal(delta({ method: 'GET', route: '/users/:id', status_code: '200' }), 3);
    assert.equal(delta({ method: 'GET', route: '(unmatched)', status_code: '404' }), 2);
    assert.equal(delta({}), 11, 'healthz and scrapes are not counted');
    const parsed = parseExposition(after);
    assert.equal(sampleValue(parsed, 'http_request_duration_seconds_count', { method: 'GET', route: '/users/:id', status_code: '200' }), 3);
    assert.equal(sampleValue(parsed, 'http_request_duration_seconds_bucket', { method: 'GET', route: '/', status_code: '200', le: '+Inf' }) >= 5, true);
    assert.equal(after.includes('/users/alice'), false, 'never a raw URL in a label');
    assert.equal(after.includes('/nope/'), false);
    const last = sampleValue(parsed, 'app_last_request_timestamp_seconds');
    assert.ok(Math.abs(last - Date.now() / 1000) < 60);
  });

  it('serves plugin, app and self metrics in one valid exposition that promtool accepts', { skip: toolSkip('promtool') }, async () => {
    await get(`${server.url}/`);
    const text = await scrape();
    assert.deepEqual(checkExposition(text), []);
    const parsed = parseExposition(text);
    assert.equal(sampleValue(parsed, 'muster_collector_up', { collector: 'tally' }), 1);
    assert.equal(sampleValue(parsed, 'tally_value', { collector: 'tally' }), 1);
    const result = promtoolCheck(text);
    assert.equal(result.code, 0, result.output);
  });

  it('answers HEAD, OpenMetrics, gzip and ?collector=, and 405 for other methods', async () => {
    const head = await fetch(`${server.url}/metrics`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.ok(Number(head.headers.get('content-length')) > 0);
    const om = await fetch(`${server.url}/metrics`, { headers: { accept: 'application/openmetrics-text; version=1.0.0' } });
    assert.match(om.headers.get('content-type') ?? '', /^application\/openmetrics-text/);
    const omText = await om.text();
    assert.ok(omText.endsWith('# EOF\n'));
    assert.match(omText, /^# TYPE http_requests counter$/m);
    // fetch asks for gzip and inflates it itself.
    const zipped = await fetch(`${server.url}/metrics`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(zipped.headers.get('content-encoding'), 'gzip');
    assert.match(await zipped.text(), /^# TYPE http_requests_total counter$/m);
    const one = await fetch(`${server.url}/metrics?collector=tally`);
    assert.match(await one.text(), /^tally_value\{collector="tally"\} 1$/m);
    assert.equal((await get(`${server.url}/metrics?collector=other`)).status, 404);
    const post = await get(`${server.url}/metrics`, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
  });
});

describe('requestMetrics defaults', () => {
  it('labels routes "(unknown)" unless Express matched one, never the raw path; counts a request once', async () => {
    const muster = createMuster({ logger: consoleLogger('silent') });
    const count = requestMetrics(muster);
    let nextCalls = 0;
    const server = await listen((req, res) => {
      count(req, res, () => nextCalls++);
      count(req, res); // mounted twice: still one count
      if (req.url === '/express/7') {
        // What Express leaves on a request it routed.
        Object.assign(req, { baseUrl: '/express', route: { path: '/:id' } });
      }
      res.end('ok');
    });
    try {
      await get(`${server.url}/a/raw/path?x=1`);
      await get(`${server.url}/express/7`);
      const text = String((await muster.scrape()).body);
      const parsed = parseExposition(text);
      assert.equal(sampleValue(parsed, 'http_requests_total', { route: UNKNOWN_ROUTE }), 1);
      assert.equal(sampleValue(parsed, 'http_requests_total', { route: '/express/:id' }), 1);
      assert.equal(text.includes('/a/raw/path'), false);
      assert.equal(nextCalls, 2, 'calls next() like Express middleware');
    } finally {
      await server.close();
      await muster.close();
    }
  });

  it('refuses to count when request metrics are off', () => {
    const muster = createMuster({ logger: consoleLogger('silent'), httpMetrics: false });
    assert.throws(() => requestMetrics(muster), (err: unknown) => isMusterError(err, 'MUSTER_ERR_INVALID_ARGUMENT') && /httpMetrics: false/.test(err.message));
  });

  it('maps unknown methods to OTHER and honours excludeRoutes', () => {
    const muster = createMuster({ logger: consoleLogger('silent'), httpMetrics: { excludeRoutes: ['/healthz'], buckets: [0.1, 1] } });
    muster.http?.observe({ method: 'brew', route: '/', statusCode: 418 }, 0.5);
    muster.http?.observe({ method: 'get', route: '/healthz', statusCode: 200 }, 0.5);
    return muster.scrape().then((answer) => {
      const parsed = parseExposition(String(answer.body));
      assert.equal(sampleValue(parsed, 'http_requests_total', { method: 'OTHER', route: '/', status_code: '418' }), 1);
      assert.equal(findSamples(parsed, 'http_requests_total', { route: '/healthz' }).length, 0);
      assert.deepEqual(
        findSamples(parsed, 'http_request_duration_seconds_bucket').map((s) => s.labels.le),
        ['0.1', '1', '+Inf'],
      );
    });
  });
});
