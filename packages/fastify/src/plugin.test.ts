import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { consoleLogger, createMuster, isMusterError, STANDARD_PLUGINS } from '@muster/app';
import { checkExposition, findSamples, parseExposition, sampleValue } from '@muster/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { muster, type MusterFastifyOptions } from './plugin.js';
import { FIXTURES, promtoolCheck, toolSkip } from './testing/fixtures.js';

const quiet = consoleLogger('silent');
const apps: FastifyInstance[] = [];

/** The seed's hello world, with muster registered: `/`, `/hello/:name`, and 404 for the rest. */
async function helloApp(options: MusterFastifyOptions = {}): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify();
  apps.push(app);
  await app.register(muster, { logger: quiet, ...options });
  app.get('/', async () => 'Hello, World!\n');
  app.get('/hello/:name', async (request) => `Hello, ${(request.params as { name: string }).name}!\n`);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url: address };
}

async function get(url: string, init: RequestInit = {}): Promise<number> {
  const res = await fetch(url, init);
  await res.arrayBuffer();
  return res.status;
}

async function scrape(url: string, path = '/metrics'): Promise<string> {
  const res = await fetch(`${url}${path}`);
  assert.equal(res.status, 200);
  return res.text();
}

const total = (text: string, labels: Record<string, string>) =>
  findSamples(parseExposition(text), 'http_requests_total', labels).reduce((n, s) => n + s.value, 0);

describe('@muster/fastify', () => {
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close()));
  });

  it('counts requests by method, route template and status code, exactly, and never the raw URL', async () => {
    const { url } = await helloApp();
    const before = await scrape(url);
    for (let i = 0; i < 4; i++) assert.equal(await get(`${url}/`), 200);
    for (const name of ['ada', 'bob', 'eve']) assert.equal(await get(`${url}/hello/${name}`), 200);
    for (let i = 0; i < 3; i++) assert.equal(await get(`${url}/missing/${i}`), 404);
    assert.equal(await get(`${url}/`, { method: 'DELETE' }), 404);
    const after = await scrape(url);
    const delta = (labels: Record<string, string>) => total(after, labels) - total(before, labels);
    assert.equal(delta({ method: 'GET', route: '/', status_code: '200' }), 4);
    assert.equal(delta({ method: 'GET', route: '/hello/:name', status_code: '200' }), 3);
    assert.equal(delta({ method: 'GET', route: '(unmatched)', status_code: '404' }), 3);
    assert.equal(delta({ method: 'DELETE', route: '(unmatched)', status_code: '404' }), 1);
    assert.equal(delta({}), 11, 'scrapes are not counted');
    for (const raw of ['/hello/ada', '/missing/']) assert.equal(after.includes(raw), false, `no raw URL ${raw}`);
    const parsed = parseExposition(after);
    assert.equal(sampleValue(parsed, 'http_request_duration_seconds_count', { method: 'GET', route: '/hello/:name', status_code: '200' }), 3);
    assert.ok(Math.abs(sampleValue(parsed, 'app_last_request_timestamp_seconds') - Date.now() / 1000) < 60);
    assert.ok(sampleValue(parsed, 'app_uptime_seconds') >= 0);
  });

  it('serves one valid exposition (app, plugins, self metrics) that promtool accepts, in both formats', { skip: toolSkip('promtool') }, async () => {
    const { url } = await helloApp({ cwd: FIXTURES, config: { plugins: [{ name: 'tally', use: './plugins/tally.mjs' }] } });
    await get(`${url}/`);
    await get(`${url}/nope`);
    const text = await scrape(url);
    assert.deepEqual(checkExposition(text), []);
    const result = promtoolCheck(text);
    assert.equal(result.code, 0, result.output);
    const om = await fetch(`${url}/metrics`, { headers: { accept: 'application/openmetrics-text; version=1.0.0', 'accept-encoding': 'gzip' } });
    assert.match(om.headers.get('content-type') ?? '', /^application\/openmetrics-text; version=1\.0\.0/);
    assert.equal(om.headers.get('content-encoding'), 'gzip');
    const omText = await om.text();
    assert.deepEqual(checkExposition(omText), []);
    assert.ok(omText.endsWith('# EOF\n'));
    const helps = text.split('\n').filter((l) => l.startsWith('# HELP ')).map((l) => l.split(' ')[2]);
    assert.equal(new Set(helps).size, helps.length, 'one HELP per family');
  });

  it('runs plugin instances in-process on their schedules, with self metrics, and closes them with the app', async () => {
    const target = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/health`;
    try {
      const { app, url } = await helloApp({
        cwd: FIXTURES,
        builtins: STANDARD_PLUGINS,
        resolveFrom: import.meta.url,
        config: {
          plugins: [
            // align: run at start, so readiness waits for the first cycles (spread instances do not hold it).
            { name: 'tally', use: './plugins/tally.mjs', align: true, config: { value: 42 } },
            { name: 'self-check', use: 'http-health', schedule: '1s', timeout: '900ms', align: true, config: { url: targetUrl } },
          ],
        },
      });
      // Scheduled instances start when the app is ready; wait for their first cycles.
      for (let i = 0; i < 200 && !app.muster.ready; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(app.muster.ready, true);
      const parsed = parseExposition(await scrape(url));
      assert.equal(sampleValue(parsed, 'tally_value', { collector: 'tally' }), 42);
      assert.equal(sampleValue(parsed, 'muster_collector_up', { collector: 'tally' }), 1);
      assert.equal(sampleValue(parsed, 'muster_collector_up', { collector: 'self-check' }), 1);
      assert.equal(sampleValue(parsed, 'http_health_status', { collector: 'self-check', http_health_status: 'healthy' }), 1);
      assert.equal(sampleValue(parsed, 'muster_collector_info', { collector: 'self-check', plugin: 'http-health', schedule: '1s' }), 1);
      const only = await fetch(`${url}/metrics?collector=tally`);
      assert.match(await only.text(), /^tally_value\{collector="tally"\} 42$/m);
      assert.equal((await fetch(`${url}/metrics?collector=nobody`)).status, 404);
      const runtime = app.muster.runtime;
      apps.splice(apps.indexOf(app), 1);
      await app.close();
      assert.ok(runtime.instances.length === 2 && runtime.instances.every((i) => i.closed), 'onClose closed every collector');
    } finally {
      target.closeAllConnections();
      await new Promise((resolve) => target.close(resolve));
    }
  });

  it('keeps two apps in one process apart, and allows one app to register twice', async () => {
    const a = await helloApp();
    const b = await helloApp();
    for (let i = 0; i < 3; i++) await get(`${a.url}/`);
    await get(`${b.url}/`);
    assert.equal(total(await scrape(a.url), { route: '/' }), 3);
    assert.equal(total(await scrape(b.url), { route: '/' }), 1);
    a.app.muster.metrics.counter({ name: 'app_signups_total', help: 'Sign-ups.' }).inc(2);
    b.app.muster.metrics.counter({ name: 'app_signups_total', help: 'Sign-ups.' }).inc(5);
    assert.match(await scrape(a.url), /^app_signups_total 2$/m);
    assert.match(await scrape(b.url), /^app_signups_total 5$/m);

    // One app, two registrations (another path): two registries, each counting every request.
    const twice = Fastify();
    apps.push(twice);
    await twice.register(muster, { logger: quiet });
    await twice.register(muster, { logger: quiet, path: '/internal/metrics', decorate: false });
    twice.get('/', async () => 'hi');
    const url = await twice.listen({ port: 0, host: '127.0.0.1' });
    await get(`${url}/`);
    await get(`${url}/`);
    assert.equal(total(await scrape(url), { route: '/' }), 2);
    assert.equal(total(await scrape(url, '/internal/metrics'), { route: '/' }), 2);
    assert.equal(total(await scrape(url), {}), 2, 'neither counts the scrapes of the other');

    const again = Fastify();
    apps.push(again);
    await again.register(muster, { logger: quiet });
    await assert.rejects(async () => {
      await again.register(muster, { logger: quiet, path: '/m2' });
    }, (err: unknown) => isMusterError(err, 'MUSTER_ERR_INVALID_ARGUMENT') && /decorate: false/.test(err.message));
    const both = Fastify();
    apps.push(both);
    await assert.rejects(async () => {
      await both.register(muster, { logger: quiet, muster: createMuster({ logger: quiet }), config: { plugins: [] } });
    }, (err: unknown) => isMusterError(err, 'MUSTER_ERR_INVALID_ARGUMENT') && /either "muster" or "config"/.test(err.message));
  });

  it('reads a config file, and refuses a bad config before the app is ready', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'muster-fastify-'));
    writeFileSync(join(dir, 'muster.yaml'), `plugins:\n  - name: filed\n    use: ${join(FIXTURES, 'plugins/tally.mjs')}\n    schedule: on-scrape\n    config: { value: 3 }\n`);
    const { url } = await helloApp({ cwd: dir, configFile: 'muster.yaml' });
    assert.match(await scrape(url), /^tally_value\{collector="filed"\} 3$/m);

    const bad = Fastify();
    apps.push(bad);
    bad.register(muster, { logger: quiet, cwd: FIXTURES, config: { plugins: [{ name: 'x', use: './plugins/tally.mjs', config: { value: 'three' } }] } });
    await assert.rejects(async () => {
      await bad.ready();
    }, (err: unknown) => isMusterError(err, 'MUSTER_ERR_CONFIG_INVALID') && /plugins\[0\]\.config\.value/.test(err.message));
  });

  it('uses a Muster made beforehand (metrics declared at module level) and leaves closing it to the caller', async () => {
    const shared = createMuster({ logger: quiet, cwd: FIXTURES, config: { plugins: [{ name: 'mine', use: './plugins/tally.mjs', schedule: 'on-scrape' }] } });
    const orders = shared.metrics.counter({ name: 'app_orders_total', help: 'Orders placed.' });
    const app = Fastify();
    await app.register(muster, { muster: shared });
    app.post('/orders', async () => {
      orders.inc();
      return { ok: true };
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    await get(`${url}/orders`, { method: 'POST' });
    const parsed = parseExposition(await scrape(url));
    assert.equal(sampleValue(parsed, 'app_orders_total'), 1);
    assert.equal(sampleValue(parsed, 'http_requests_total', { method: 'POST', route: '/orders', status_code: '200' }), 1);
    assert.equal(sampleValue(parsed, 'muster_collector_up', { collector: 'mine' }), 1);
    await app.close();
    assert.equal(shared.runtime.instances[0]?.closed, false, 'not the plugin\'s to close');
    await shared.close();
    const both = Fastify();
    apps.push(both);
    await assert.rejects(async () => {
      await both.register(muster, { muster: shared, config: {} });
    }, /either "muster" or "config"/);
  });
});
