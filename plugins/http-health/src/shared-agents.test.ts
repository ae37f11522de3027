import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createHarness, type Harness, sampleValue } from '@muster/testing';
import plugin from './index.js';
import { selfSignedCert, startHttpsServer, type TestServer } from './testing/servers.js';

// Every instance of the plugin sends through one pair of agents: one instance's TLS settings
// must never decide another's outcome, in whatever order their checks run.
describe('instances with different TLS settings sharing the agents', { timeout: 30_000 }, () => {
  let server: TestServer;
  const harnesses: Harness[] = [];

  before(async () => {
    const cert = await selfSignedCert();
    const other = await selfSignedCert();
    server = await startHttpsServer((_req, res) => res.end('ok'), cert);
    const configs = [{ insecureSkipVerify: true }, {}, { ca: cert.cert }, { ca: other.cert }];
    for (const tls of configs) harnesses.push(await createHarness(plugin, { url: `${server.url}/`, tls }, { timeout: '2s' }));
  });
  after(async () => {
    await Promise.all(harnesses.map((h) => h.close()));
    await server?.close();
  });

  test('each keeps its own verdict, round after round, interleaved', async () => {
    const expected = ['none', 'tls', 'none', 'tls'];
    for (let round = 0; round < 3; round++) {
      const reasons: (string | undefined)[] = [];
      for (const h of harnesses) {
        const e = (await h.cycle()).exposition;
        reasons.push(e.samples.find((s) => s.name === 'http_health_failure_reason' && s.value === 1)?.labels.http_health_failure_reason);
        assert.equal(sampleValue(e, 'http_health_status', { http_health_status: 'healthy' }) === 1, reasons.at(-1) === 'none');
      }
      assert.deepEqual(reasons, expected, `round ${round}: insecure, default, trusted CA, other CA`);
    }
    assert.equal(server.requests, 6, 'requests arrived only from the two instances that trust the server');
  });

  test('the agents keep no socket between checks', async () => {
    await Promise.all(harnesses.map((h) => h.cycle()));
    const { sharedAgents } = await import('./agents.js');
    const agents = sharedAgents();
    const held = (a: { sockets: object; freeSockets: object }) => Object.keys(a.sockets).length + Object.keys(a.freeSockets).length;
    // A socket leaves the agent when it closes, just after its response was read.
    for (let i = 0; i < 100 && held(agents.https) + held(agents.http) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual([Object.keys(agents.https.sockets), Object.keys(agents.https.freeSockets)], [[], []]);
  });
});
