import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createHarness, type Harness, selfSignedCert } from '@muster/testing';
import { type PostgresServer, startPostgres } from '@muster/testing-postgres';
import plugin from './index.js';
import { superuserConfig } from './testing/backend.js';
import { pgReason, pgUp } from './testing/readings.js';


describe('TLS', { timeout: 60_000 }, () => {
  let server: PostgresServer;
  let cert: { key: string; cert: string };
  const open: Harness[] = [];

  before(async () => {
    cert = await selfSignedCert({ hosts: ['db.muster.test'] });
    server = await startPostgres({ tls: cert });
  });
  after(async () => {
    await Promise.all(open.map((h) => h.close()));
    await server?.close();
  });

  async function ping(extra: Record<string, unknown>) {
    const h = await createHarness(plugin, superuserConfig(server, 'tls', extra), { timeout: '2s' });
    open.push(h);
    return h.cycle();
  }

  test('the session is encrypted with sslmode require', async () => {
    assert.equal(pgUp(await ping({ sslmode: 'require' })), 1);
    const [row] = await server.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) WHERE application_name = 'tls' AND ssl");
    assert.ok((row?.n ?? 0) >= 1, 'an encrypted session of ours');
  });

  test('verify-ca trusts the configured CA and ignores the host name; verify-full checks it', async () => {
    assert.equal(pgUp(await ping({ sslmode: 'verify-ca', tls: { ca: cert.cert } })), 1);
    assert.equal(pgReason(await ping({ sslmode: 'verify-full', tls: { ca: cert.cert } })), 'tls', '127.0.0.1 is not db.muster.test');
    assert.equal(pgUp(await ping({ sslmode: 'verify-full', tls: { ca: cert.cert, servername: 'db.muster.test' } })), 1);
  });

  test('an untrusted certificate is tls', async () => {
    assert.equal(pgReason(await ping({ sslmode: 'verify-ca' })), 'tls');
    const other = await selfSignedCert({ hosts: ['other.muster.test'] });
    assert.equal(pgReason(await ping({ sslmode: 'verify-ca', tls: { ca: other.cert } })), 'tls');
  });
});
