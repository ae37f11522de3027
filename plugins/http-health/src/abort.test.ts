import assert from 'node:assert/strict';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { after, describe, test } from 'node:test';
import { createHarness, sampleValue } from '@muster/testing';
import { type CheckOptions, runCheck } from './check.js';
import plugin from './index.js';
import { startServer, type TestServer } from './testing/servers.js';

describe('deadlines', { timeout: 20_000 }, () => {
  const servers: TestServer[] = [];
  after(() => Promise.all(servers.map((s) => s.close())));

  async function hanging(): Promise<TestServer> {
    const server = await startServer(() => {});
    servers.push(server);
    return server;
  }

  const options = (url: string): CheckOptions => ({
    request: { url: new URL(url), method: 'GET', headers: {}, body: undefined },
    expectedStatus: [{ min: 200, max: 299 }],
    bodyMatch: undefined,
    timeoutMs: 5000,
    followRedirects: true,
    maxRedirects: 5,
    maxBodyBytes: 1024,
    ca: undefined,
    insecureSkipVerify: false,
    agents: { http: new HttpAgent(), https: new HttpsAgent() },
  });

  test("the cycle's signal firing rejects the check with the signal's reason (not a result)", async () => {
    const server = await hanging();
    const controller = new AbortController();
    const reason = new Error('cycle deadline');
    setTimeout(() => controller.abort(reason), 100);
    // The server never answers and the check's own timeout is 5 s: the signal's reason is what ended it.
    await assert.rejects(runCheck(options(server.url), controller.signal), (err) => err === reason);
  });

  test('an already aborted signal rejects at once', async () => {
    const reason = new Error('shut down');
    await assert.rejects(runCheck(options('http://127.0.0.1:1/'), AbortSignal.abort(reason)), (err) => err === reason);
  });

  test('a configured timeout longer than the instance deadline is shortened, with a warning', async () => {
    const server = await hanging();
    const warnings: string[] = [];
    const h = await createHarness(plugin, { url: server.url, timeout: '5s' }, {
      timeout: '1s',
      log: (level, _fields, message) => {
        if (level === 'warn') warnings.push(message ?? '');
      },
    });
    try {
      const result = await h.cycle();
      assert.equal(result.health.up, true);
      assert.equal(
        sampleValue(result.exposition, 'http_health_failure_reason', { http_health_failure_reason: 'timeout' }),
        1,
      );
      assert.ok(result.health.lastDurationSeconds < 1);
      assert.ok(warnings.some((w) => w.includes('config.timeout is not shorter than the instance timeout')), warnings.join('\n'));
    } finally {
      await h.close();
    }
  });
});
