import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createMuster } from '@muster/app';
import { checkExposition, findSamples, parseExposition, sampleValue } from '@muster/testing';
import { createHelloServer } from './server.js';

describe('embedded-node-http', () => {
  const muster = createMuster();
  let server: Server;
  let url: string;

  before(async () => {
    await muster.start();
    server = createHelloServer(muster);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await muster.close();
  });

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
  const greetings = (parsed: ReturnType<typeof parseExposition>) =>
    findSamples(parsed, 'hello_greeting_seconds_count').reduce((n, s) => n + s.value, 0);

  it('says hello', async () => {
    const res = await fetch(`${url}/hello/grace`);
    assert.equal(await res.text(), 'Hello, grace!\n');
  });

  it('counts requests by route and status code: up by exactly the number made', async () => {
    const before = await metrics();
    for (let i = 0; i < 5; i++) assert.equal(await get('/'), 200);
    for (const name of ['ada', 'grace', 'alan']) assert.equal(await get(`/hello/${name}`), 200);
    for (let i = 0; i < 2; i++) assert.equal(await get(`/missing/${i}`), 404);
    const after = await metrics();

    assert.equal(requests(after, '/', '200') - requests(before, '/', '200'), 5);
    assert.equal(requests(after, '/hello/:name', '200') - requests(before, '/hello/:name', '200'), 3);
    assert.equal(requests(after, '(unmatched)', '404') - requests(before, '(unmatched)', '404'), 2);
    assert.equal(greetings(after) - greetings(before), 8, 'timed() observed every greeting');
    assert.ok(sampleValue(after, 'app_uptime_seconds') > 0);
    assert.ok(Math.abs(sampleValue(after, 'app_last_request_timestamp_seconds') - Date.now() / 1000) < 60);
  });
});
