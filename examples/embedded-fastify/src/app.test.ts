import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkExposition, findSamples, parseExposition, sampleValue } from '@muster/testing';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';

describe('embedded-fastify', () => {
  let app: FastifyInstance;
  let url: string;

  before(async () => {
    app = await buildApp();
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(() => app.close());

  async function get(path: string): Promise<number> {
    const res = await fetch(`${url}${path}`);
    await res.text();
    return res.status;
  }

  async function metrics() {
    const res = await fetch(`${url}/metrics`);
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.deepEqual(checkExposition(text), [], 'a valid exposition');
    return parseExposition(text);
  }

  const requests = (parsed: ReturnType<typeof parseExposition>, route: string, status: string) =>
    findSamples(parsed, 'http_requests_total', { method: 'GET', route, status_code: status }).reduce((n, s) => n + s.value, 0);

  it('says hello', async () => {
    const res = await fetch(`${url}/hello/ada`);
    assert.equal(await res.text(), 'Hello, ada!\n');
  });

  it('counts requests by route and status code: up by exactly the number made', async () => {
    const before = await metrics();
    for (let i = 0; i < 3; i++) assert.equal(await get('/'), 200);
    for (const name of ['ada', 'grace']) assert.equal(await get(`/hello/${name}`), 200);
    for (let i = 0; i < 4; i++) assert.equal(await get(`/no/such/page/${i}`), 404);
    const after = await metrics();

    assert.equal(requests(after, '/', '200') - requests(before, '/', '200'), 3);
    assert.equal(requests(after, '/hello/:name', '200') - requests(before, '/hello/:name', '200'), 2);
    assert.equal(requests(after, '(unmatched)', '404') - requests(before, '(unmatched)', '404'), 4);
    const greeted = (p: typeof after, who: string) => findSamples(p, 'hello_greetings_total', { who }).reduce((n, s) => n + s.value, 0);
    assert.equal(greeted(after, 'world') - greeted(before, 'world'), 3);
    assert.equal(greeted(after, 'someone') - greeted(before, 'someone'), 2);
    assert.ok(sampleValue(after, 'app_uptime_seconds') > 0);
    assert.ok(sampleValue(after, 'app_last_request_timestamp_seconds') > 0);
  });

  it('runs the system plugin of muster.yaml in-process', async () => {
    for (let i = 0; i < 200 && !app.muster.ready; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(app.muster.ready, true);
    // Ready means serving: the instance runs at its own phase within its 15 s interval.
    let parsed = await metrics();
    for (let i = 0; i < 600 && findSamples(parsed, 'muster_collector_up', { collector: 'host' })[0]?.value !== 1; i++) {
      await new Promise((r) => setTimeout(r, 100));
      parsed = await metrics();
    }
    assert.equal(sampleValue(parsed, 'muster_collector_up', { collector: 'host' }), 1);
    assert.ok(sampleValue(parsed, 'system_cpus', { collector: 'host' }) >= 1);
  });
});
