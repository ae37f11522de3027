import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createHarness, type Harness, sampleValue } from '@muster/testing';
import plugin from './index.js';
import { selfSignedCert, startHttpsServer, startServer, type TestCert, type TestServer } from './testing/servers.js';

describe('http-health against a local HTTPS server with a self-signed certificate', { timeout: 30_000 }, () => {
  let cert: TestCert;
  let other: TestCert;
  let server: TestServer;
  const harnesses: Harness[] = [];

  before(async () => {
    [cert, other] = await Promise.all([selfSignedCert(), selfSignedCert()]);
    server = await startHttpsServer((_req, res) => res.end('secure ok'), cert);
  });
  after(async () => {
    await Promise.all(harnesses.map((h) => h.close()));
    await server?.close();
  });

  async function check(config: Record<string, unknown>) {
    const h = await createHarness(plugin, { url: `${server.url}/health`, ...config }, { timeout: '2s' });
    harnesses.push(h);
    const result = await h.cycle();
    assert.equal(result.health.up, true);
    const e = result.exposition;
    const reason = e.samples.find((s) => s.name === 'http_health_failure_reason' && s.value === 1)?.labels.http_health_failure_reason;
    return { healthy: sampleValue(e, 'http_health_status', { http_health_status: 'healthy' }) === 1, reason, code: sampleValue(e, 'http_health_status_code') };
  }

  test('an untrusted certificate is a tls failure', async () => {
    assert.deepEqual(await check({}), { healthy: false, reason: 'tls', code: 0 });
  });

  test('trusting the certificate through tls.ca makes it healthy', async () => {
    assert.deepEqual(await check({ tls: { ca: cert.cert } }), { healthy: true, reason: 'none', code: 200 });
  });

  test('a different CA is still a tls failure', async () => {
    assert.deepEqual(await check({ tls: { ca: other.cert } }), { healthy: false, reason: 'tls', code: 0 });
  });

  test('a certificate for another host name is a tls failure, even when its CA is trusted', async () => {
    const elsewhere = await selfSignedCert('elsewhere.example');
    const wrong = await startHttpsServer((_req, res) => res.end(), elsewhere);
    try {
      const h = await createHarness(plugin, { url: wrong.url, tls: { ca: elsewhere.cert } }, { timeout: '2s' });
      harnesses.push(h);
      const e = (await h.cycle()).exposition;
      assert.equal(sampleValue(e, 'http_health_failure_reason', { http_health_failure_reason: 'tls' }), 1);
    } finally {
      await wrong.close();
    }
  });

  test('insecureSkipVerify: true makes it healthy', async () => {
    assert.deepEqual(await check({ tls: { insecureSkipVerify: true } }), { healthy: true, reason: 'none', code: 200 });
  });

  test('https to a plain-HTTP port is a tls failure', async () => {
    const plain = await startServer((_req, res) => res.end());
    try {
      const h = await createHarness(plugin, { url: `https://127.0.0.1:${plain.port}/` }, { timeout: '2s' });
      harnesses.push(h);
      const result = await h.cycle();
      const reason = result.exposition.samples.find((s) => s.name === 'http_health_failure_reason' && s.value === 1);
      assert.equal(reason?.labels.http_health_failure_reason, 'tls');
    } finally {
      await plain.close();
    }
  });
});
