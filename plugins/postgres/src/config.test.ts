import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { configSchema, DEFAULT_QUERY, parseConnectionString, resolveTarget, resolveTimeouts } from './config.js';

function issues(config: unknown): string[] {
  const result = configSchema.safeParse(config);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('config', () => {
  test('host and user are enough; defaults are small and safe', () => {
    const config = configSchema.parse({ host: 'db.internal', user: 'muster' });
    assert.equal(config.query, DEFAULT_QUERY);
    assert.deepEqual(config.pool, { max: 1, idleTimeout: '60s', maxLifetime: '1h' });
    const target = resolveTarget(config, 'orders-db');
    assert.deepEqual(target, {
      host: 'db.internal',
      port: 5432,
      database: 'muster',
      user: 'muster',
      password: undefined,
      sslmode: 'disable',
      applicationName: 'muster/orders-db',
    });
  });

  test('a connection string gives every part; config keys win over it', () => {
    const url = 'postgresql://reader:p%40ss%3Aw0rd@db.example:6432/orders?sslmode=verify-full&application_name=ping';
    assert.deepEqual(resolveTarget(configSchema.parse({ connectionString: url }), 'x'), {
      host: 'db.example',
      port: 6432,
      database: 'orders',
      user: 'reader',
      password: 'p@ss:w0rd',
      sslmode: 'verify-full',
      applicationName: 'ping',
    });
    const overridden = resolveTarget(configSchema.parse({ connectionString: url, password: 'from-file', port: 5433, sslmode: 'require' }), 'x');
    assert.equal(overridden.password, 'from-file');
    assert.equal(overridden.port, 5433);
    assert.equal(overridden.sslmode, 'require');
  });

  test('connection strings: IPv6, socket folders, no host, query parameters', () => {
    assert.deepEqual(parseConnectionString('postgres://u@[::1]:5433/db'), { host: '::1', port: 5433, user: 'u', database: 'db' });
    assert.deepEqual(parseConnectionString('postgres:///db?host=/var/run/postgresql&user=u'), { database: 'db', host: '/var/run/postgresql', user: 'u' });
    assert.deepEqual(parseConnectionString('postgres://h?dbname=d&port=7000&password=x'), { host: 'h', database: 'd', port: 7000, password: 'x' });
  });

  test('invalid values are reported by path, and never echo a connection string or password', () => {
    const secret = 'Sup3r-secret';
    const cases: [unknown, RegExp][] = [
      [{ connectionString: `mysql://u:${secret}@h/db` }, /connectionString: expected a URL starting with postgres:\/\//],
      [{ connectionString: `postgres://u:${secret}@h:99999/db` }, /connectionString: expected a valid postgres:\/\/ URL/],
      [{ connectionString: `postgres://u:${secret}@h/db?sslmode=prefer` }, /sslmode "prefer" is not supported/],
      [{ connectionString: `postgres://u:${secret}@h/db?sslcert=/x` }, /unsupported parameter "sslcert"/],
      [{ host: 'h' }, /^user: required/],
      [{ user: 'u' }, /^host: required/],
      [{ host: 'h', user: 'u', sslmode: 'prefer' }, /^sslmode: expected one of disable, require, verify-ca, verify-full/],
      [{ host: 'h', user: 'u', port: 0 }, /^port:/],
      [{ host: 'h', user: 'u', pool: { max: 50 } }, /^pool\.max: expected at most 10/],
      [{ host: 'h', user: 'u', pool: { idleTimeout: 'soon' } }, /^pool\.idleTimeout: expected a duration/],
      [{ host: 'h', user: 'u', timeout: '5' }, /^timeout: expected a duration/],
      [{ host: 'h', user: 'u', query: '  ' }, /^query: expected one SQL statement/],
      [{ host: 'h', user: 'u', query: ' ; ;' }, /^query: expected one SQL statement, found only comments or semicolons/],
      [{ host: 'h', user: 'u', query: '-- SELECT 1\n/* SELECT 2 */;' }, /^query: expected one SQL statement, found only comments or semicolons/],
      [{ host: 'h', user: 'u', buckets: [1, 0.5] }, /^buckets\.1: expected bucket bounds in strictly ascending order/],
      [{ host: 'h', user: 'u', tls: { ca: 'not pem' }, sslmode: 'verify-full' }, /^tls\.ca: expected PEM text/],
      [{ host: 'h', user: 'u', tls: { cert: '-----BEGIN CERTIFICATE-----' }, sslmode: 'require' }, /^tls\.key: a client certificate needs both/],
      [{ host: 'h', user: 'u', tls: { servername: 'db' } }, /^tls: TLS options need sslmode/],
      [{ host: 'h', user: 'u', applicationName: 'x'.repeat(64) }, /^applicationName: expected at most 63/],
      [{ host: 'h', user: 'u', passwd: secret }, /Unrecognized key/],
    ];
    for (const [config, expected] of cases) {
      const found = issues(config);
      assert.ok(
        found.some((i) => expected.test(i)),
        `${JSON.stringify(config)}: expected an issue matching ${expected}, got ${JSON.stringify(found)}`,
      );
      assert.ok(!found.join('\n').includes(secret), `an issue echoes the secret: ${found.join('\n')}`);
    }
  });

  test('timeouts: a little under the deadline; the server cancels a little before the client gives up', () => {
    const base = configSchema.parse({ host: 'h', user: 'u' });
    assert.deepEqual(resolveTimeouts(base, 10_000), { pingMs: 9500, connectMs: 9500, statementMs: 9000, shortened: false });
    assert.deepEqual(resolveTimeouts(base, 1000), { pingMs: 900, connectMs: 900, statementMs: 810, shortened: false });
    const shorter = configSchema.parse({ host: 'h', user: 'u', timeout: '2s' });
    assert.deepEqual(resolveTimeouts(shorter, 10_000), { pingMs: 2000, connectMs: 2000, statementMs: 1800, shortened: false });
    const longer = configSchema.parse({ host: 'h', user: 'u', timeout: '30s' });
    assert.equal(resolveTimeouts(longer, 10_000).pingMs, 9500);
    assert.equal(resolveTimeouts(longer, 10_000).shortened, true);
  });
});
