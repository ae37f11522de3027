import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { configForTarget } from '@muster/sdk';
import { createHarness, type Harness } from '@muster/testing';
import plugin from './index.js';
import { closedPort, startServer, type TestServer } from './testing/servers.js';

const servers: TestServer[] = [];
const harnesses: Harness[] = [];
after(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
  await Promise.all(servers.map((s) => s.close()));
});

async function verdictOf(config: Record<string, unknown>) {
  const h = await createHarness(plugin, config, { timeout: '2s' });
  harnesses.push(h);
  return (await h.cycle()).health;
}

describe('http-health verdict and target', () => {
  test('states the backend verdict: healthy, status-503, body-mismatch, connection-refused', async () => {
    let status = 200;
    const server = await startServer((_req, res) => {
      res.statusCode = status;
      res.end('ok');
    });
    servers.push(server);
    assert.deepEqual((await verdictOf({ url: server.url })).target, { healthy: true });
    status = 503;
    const sick = await verdictOf({ url: server.url });
    assert.equal(sick.up, true, 'the collector ran fine');
    assert.deepEqual(sick.target, { healthy: false, reason: 'status-503' });
    status = 200;
    assert.deepEqual((await verdictOf({ url: server.url, bodyMatch: 'nope' })).target, { healthy: false, reason: 'body-mismatch' });
    assert.deepEqual((await verdictOf({ url: `http://127.0.0.1:${await closedPort()}/` })).target, { healthy: false, reason: 'connection-refused' });
  });

  test('takes its url from a target; the module may set the rest', () => {
    const support = plugin.target;
    assert.ok(support !== undefined);
    const config = configForTarget(support, 'http://127.0.0.1:9/healthz', { expectedStatus: ['2xx'] });
    assert.equal(plugin.configSchema.safeParse(config).success, true);
    assert.equal(plugin.configSchema.safeParse(configForTarget(support, 'not a url', {})).success, false);
  });
});
