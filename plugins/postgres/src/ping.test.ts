import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createHarness, findSamples, type Harness, type HarnessOptions, sampleValue } from '@muster/testing';
import { type PostgresServer, startPostgres } from '@muster/testing-postgres';
import plugin from './index.js';
import { sessions, superuserConfig } from './testing/backend.js';
import { captureLogs } from './testing/logs.js';
import { pgReason, pgUp } from './testing/readings.js';

describe('pinging a live PostgreSQL server', { timeout: 60_000 }, () => {
  let server: PostgresServer;
  const open: Harness[] = [];
  const role = { user: 'muster_ping', password: `Ping-${Math.random().toString(36).slice(2)}-pw` };

  before(async () => {
    server = await startPostgres();
    await server.query('CREATE DATABASE app_a');
    await server.query('CREATE DATABASE app_b');
    // The minimal role of the README: LOGIN and CONNECT, nothing else.
    await server.query(`CREATE ROLE ${role.user} LOGIN PASSWORD '${role.password}'`);
    await server.query('REVOKE CONNECT ON DATABASE app_b FROM PUBLIC');
    await server.query(`GRANT CONNECT ON DATABASE app_a TO ${role.user}`);
  });
  after(async () => {
    await Promise.all(open.map((h) => h.close()));
    await server?.close();
  });

  async function harness(config: Record<string, unknown>, options: HarnessOptions = {}): Promise<Harness> {
    const h = await createHarness(plugin, config, { timeout: '2s', ...options });
    open.push(h);
    return h;
  }

  test('a live server is up: pg_up 1, reason none, version, primary, one latency observation', async () => {
    const h = await harness(superuserConfig(server, 'live'));
    const cycle = await h.cycle();
    assert.equal(cycle.health.up, true);
    assert.equal(pgUp(cycle), 1);
    assert.equal(pgReason(cycle), 'none');
    const [info] = findSamples(cycle.exposition, 'pg_server_info');
    const version = (await server.query<{ v: string }>("SELECT current_setting('server_version') AS v"))[0]?.v;
    assert.equal(info?.labels.server_version, version);
    assert.equal(info?.value, 1);
    assert.equal(sampleValue(cycle.exposition, 'pg_in_recovery'), 0);
    assert.equal(sampleValue(cycle.exposition, 'pg_ping_duration_seconds_count'), 1);
    assert.equal(sampleValue(cycle.exposition, 'pg_pings_total', { result: 'up' }), 1);
    assert.equal(sampleValue(cycle.exposition, 'pg_pool_connections'), 1);
    assert.equal(cycle.exposition.problems.length, 0, cycle.exposition.problems.join('\n'));
    // The histogram accumulates; the connection is reused.
    const second = await h.cycle();
    assert.equal(sampleValue(second.exposition, 'pg_ping_duration_seconds_count'), 2);
    assert.equal(sampleValue(second.exposition, 'pg_connections_opened_total'), 1);
    // DBAs see who we are.
    const seen = await sessions(server, 'live');
    assert.equal(seen.length, 1);
  });

  test('the connection string alone is enough; the default application_name names the instance', async () => {
    const h = await harness({ connectionString: server.connectionString }, { name: 'from-url' });
    const cycle = await h.cycle();
    assert.equal(pgUp(cycle), 1);
    assert.equal((await sessions(server, 'muster/from-url')).length, 1);
  });

  test('the minimal role (LOGIN + CONNECT) is enough for every metric', async () => {
    const h = await harness({ host: server.host, port: server.port, database: 'app_a', ...role, applicationName: 'minimal-role' });
    const cycle = await h.cycle();
    assert.equal(pgUp(cycle), 1, pgReason(cycle));
    assert.equal(findSamples(cycle.exposition, 'pg_server_info').length, 1);
    assert.equal(sampleValue(cycle.exposition, 'pg_in_recovery'), 0);
  });

  test('a wrong password: pg_up 0 with reason auth, and the cycle itself succeeded', async () => {
    const h = await harness(superuserConfig(server, 'wrong-password', { password: 'not-the-password' }));
    const cycle = await h.cycle();
    assert.equal(pgUp(cycle), 0);
    assert.equal(pgReason(cycle), 'auth');
    assert.equal(cycle.health.up, true, 'muster_collector_up stays 1: the ping ran and reported');
    assert.equal(findSamples(cycle.exposition, 'pg_server_info').length, 0, 'no version without an answer');
    assert.equal(findSamples(cycle.exposition, 'pg_in_recovery').length, 0);
    assert.equal(sampleValue(cycle.exposition, 'pg_pings_total', { result: 'down' }), 1);
    assert.equal(sampleValue(cycle.exposition, 'pg_ping_duration_seconds_count'), 0);
    const text = await h.text();
    assert.match(text, /muster_collector_failure_reason\{collector="test",muster_collector_failure_reason="none"\} 1/);
  });

  test('no CONNECT privilege on the database is auth too', async () => {
    const h = await harness({ host: server.host, port: server.port, database: 'app_b', ...role, applicationName: 'no-connect' });
    assert.equal(pgReason(await h.cycle()), 'auth');
  });

  test('a missing database is database-missing', async () => {
    const h = await harness(superuserConfig(server, 'missing-db', { database: 'no_such_db' }));
    const cycle = await h.cycle();
    assert.equal(pgUp(cycle), 0);
    assert.equal(pgReason(cycle), 'database-missing');
  });

  test('a failing query is query-error, and the configured query cannot write', async () => {
    for (const query of ['SELECT * FROM no_such_table', 'CREATE TABLE written_by_a_ping (id int)', 'SELECT 1; SELECT 2']) {
      const h = await harness(superuserConfig(server, 'query-error', { query }));
      const cycle = await h.cycle();
      assert.equal(pgUp(cycle), 0, query);
      assert.equal(pgReason(cycle), 'query-error', query);
    }
    assert.equal((await server.query("SELECT to_regclass('written_by_a_ping') AS t"))[0]?.t, null);
    // A SQL error leaves the connection healthy: it is kept, not reopened every cycle.
    const h = await harness(superuserConfig(server, 'query-error-kept', { query: 'SELECT * FROM no_such_table' }));
    for (let i = 0; i < 3; i++) await h.cycle();
    assert.equal(sampleValue((await h.cycle()).exposition, 'pg_connections_opened_total'), 1);
  });

  test('a configured read-only query runs and is measured', async () => {
    const h = await harness(superuserConfig(server, 'custom-query', { query: 'SELECT count(*) FROM pg_catalog.pg_class' }));
    const cycle = await h.cycle();
    assert.equal(pgUp(cycle), 1);
    assert.equal(sampleValue(cycle.exposition, 'pg_ping_duration_seconds_count'), 1);
  });

  test('sslmode require against a server without TLS is tls', async () => {
    const h = await harness(superuserConfig(server, 'tls-required', { sslmode: 'require' }));
    const cycle = await h.cycle();
    assert.equal(pgUp(cycle), 0);
    assert.equal(pgReason(cycle), 'tls');
  });

  test('a unix socket folder works as host; a missing one is connection-refused', async () => {
    const h = await harness({ host: server.socketDir, port: server.port, user: server.user, password: server.password, applicationName: 'socket' });
    assert.equal(pgUp(await h.cycle()), 1);
    const gone = await harness({ host: `${server.socketDir}/missing`, port: server.port, user: server.user, applicationName: 'socket-missing' });
    assert.equal(pgReason(await gone.cycle()), 'connection-refused');
  });

  test('several instances ping several databases in one process, each on its own connection', async () => {
    const a = await harness(superuserConfig(server, 'multi-a', { database: 'app_a' }), { name: 'db-a', labels: { team: 'a' } });
    const b = await harness(superuserConfig(server, 'multi-b', { database: 'app_b' }), { name: 'db-b' });
    const broken = await harness(superuserConfig(server, 'multi-c', { password: 'wrong' }), { name: 'db-c' });
    for (let i = 0; i < 3; i++) {
      const [ca, cb, cc] = await Promise.all([a.cycle(), b.cycle(), broken.cycle()]);
      assert.equal(sampleValue(ca.exposition, 'pg_up', { collector: 'db-a', team: 'a' }), 1);
      assert.equal(sampleValue(cb.exposition, 'pg_up', { collector: 'db-b' }), 1);
      assert.equal(sampleValue(cc.exposition, 'pg_up', { collector: 'db-c' }), 0);
    }
    const [sa, sb] = await Promise.all([sessions(server, 'multi-a'), sessions(server, 'multi-b')]);
    assert.deepEqual(
      [sa.map((s) => s.datname), sb.map((s) => s.datname)],
      [['app_a'], ['app_b']],
    );
  });

  test('50 cycles in a row never hold more connections than the pool size', async () => {
    for (const max of [1, 2]) {
      const app = `fifty-${max}`;
      const h = await harness(superuserConfig(server, app, { pool: { max } }));
      let most = 0;
      for (let i = 0; i < 50; i++) {
        const cycle = await h.cycle();
        assert.equal(pgUp(cycle), 1);
        if (i % 5 === 4) most = Math.max(most, (await sessions(server, app)).length);
      }
      assert.ok(most >= 1 && most <= max, `${most} connections open with pool.max ${max}`);
      const last = await h.cycle();
      assert.ok(sampleValue(last.exposition, 'pg_connections_opened_total') <= max);
      assert.ok(sampleValue(last.exposition, 'pg_pool_connections') <= max);
    }
  });

  test('secrets: no password in logs or /metrics, whatever fails', async () => {
    const secret = server.password;
    const wrong = `Wr0ng-${Math.random().toString(36).slice(2)}`;
    const { lines, log } = captureLogs();
    const withSecret = (url: string) => url.replace(`:${secret}@`, `:${encodeURIComponent(secret)}@`);
    const configs: Record<string, unknown>[] = [
      { connectionString: server.connectionString.replace(secret, wrong) }, // auth
      { connectionString: withSecret(`postgres://postgres:${secret}@127.0.0.1:1/postgres`) }, // refused
      { connectionString: `postgres://postgres:${secret}@127.0.0.1:${server.port}/${secret}` }, // the db name echoed by the server
      { connectionString: `postgres://postgres@127.0.0.1:${server.port}/postgres`, password: secret, query: `SELECT '${secret}'::int` }, // query text echoed
      { connectionString: `postgres://postgres:${secret}@127.0.0.1:${server.port}/postgres?sslmode=require` }, // tls
      { host: `/tmp/${secret}`, user: 'postgres', password: secret }, // the socket path is echoed
      { connectionString: server.connectionString, applicationName: 'secrets-ok' },
    ];
    let text = '';
    for (const [i, config] of configs.entries()) {
      const h = await harness(config, { log, name: `secret-${i}` });
      await h.cycle();
      await h.cycle();
      text += await h.text();
      text += await h.text('openmetrics');
    }
    const logs = JSON.stringify(lines);
    assert.ok(lines.some((l) => l.level === 'warn'), 'failures were logged');
    for (const s of [secret, wrong, encodeURIComponent(secret)]) {
      assert.ok(!logs.includes(s), `a log line holds a password:\n${logs}`);
      assert.ok(!text.includes(s), 'the exposition holds a password');
    }
    assert.match(logs, /"database":"\[REDACTED\]"/, 'a database named like the password is redacted in the log too');
  });
});
