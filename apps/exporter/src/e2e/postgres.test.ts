import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually, findSamples, type ParsedExposition, parseExposition, promtoolCheck, requireTool, sampleValue } from '@muster/testing';
import { type PostgresServer, startPostgres } from '@muster/testing-postgres';
import { writeConfig } from './testing/config-file.js';
import { type Exporter, startExporter } from './testing/exporter-process.js';

/**
 * `muster start` pinging two databases of a real PostgreSQL server (plus an instance with a
 * wrong password) while the server is locked, stopped and restarted; connections are counted on
 * the server side.
 */
describe('muster start with the postgres plugin', { timeout: 90_000 }, () => {
  let server: PostgresServer;
  let exporter: Exporter;
  const password = `Pg-${randomBytes(9).toString('hex')}`;
  const wrongPassword = `Wrong-${randomBytes(9).toString('hex')}`;

  before(async () => {
    server = await startPostgres();
    for (const db of ['orders', 'billing']) await server.query(`CREATE DATABASE ${db}`);
    await server.query(`CREATE ROLE muster_ping LOGIN PASSWORD '${password}'`);
    const orders = await server.connect({ database: 'orders' });
    try {
      await orders.query('CREATE TABLE probe (id int)');
      await orders.query('GRANT SELECT ON probe TO muster_ping');
    } finally {
      await orders.end();
    }
    const config = writeConfig(`defaults:
  schedule: 1s
  timeout: 1s
  align: true
plugins:
  - name: orders
    use: postgres
    config:
      host: 127.0.0.1
      port: ${server.port}
      database: orders
      user: muster_ping
      password: \${file:pg-password}
      query: SELECT count(*) FROM probe
  - name: billing
    use: postgres
    labels: { team: finance }
    config:
      connectionString: postgres://muster_ping:${password}@127.0.0.1:${server.port}/billing
  - name: billing-wrong-password
    use: postgres
    config:
      connectionString: postgres://muster_ping:${wrongPassword}@127.0.0.1:${server.port}/billing
`);
    writeFileSync(join(dirname(config), 'pg-password'), `${password}\n`);
    exporter = await startExporter(config, { args: ['--log-level', 'debug'] });
  });

  after(async () => {
    await exporter?.stop();
    await server?.close();
  });

  async function scrape(): Promise<{ parsed: ParsedExposition; ms: number; body: string }> {
    const { status, body, ms } = await exporter.scrape();
    assert.equal(status, 200);
    return { parsed: parseExposition(body), ms, body };
  }

  const up = (p: ParsedExposition, collector: string) => sampleValue(p, 'pg_up', { collector });
  const reason = (p: ParsedExposition, collector: string) =>
    findSamples(p, 'pg_failure_reason', { collector }).find((s) => s.value === 1)?.labels.pg_failure_reason;

  /** Sessions the exporter holds, per application_name, counted by the server. */
  async function musterSessions(): Promise<Record<string, number>> {
    const rows = await server.query<{ app: string; n: number }>(
      "SELECT application_name AS app, count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'muster/%' GROUP BY 1",
    );
    return Object.fromEntries(rows.map((r) => [r.app, r.n]));
  }

  it('reports both databases up and the wrong password as auth, on at most one connection each', async (t) => {
    assert.ok(await eventually(async () => (await exporter.scrape('/readyz')).status === 200, 10_000), 'ready');
    assert.ok(
      await eventually(async () => {
        const { parsed } = await scrape();
        return up(parsed, 'orders') === 1 && up(parsed, 'billing') === 1;
      }),
    );
    const { parsed, body } = await scrape();
    assert.deepEqual(parsed.problems, []);
    assert.equal(sampleValue(parsed, 'pg_up', { collector: 'billing', team: 'finance' }), 1);
    assert.equal(up(parsed, 'billing-wrong-password'), 0);
    assert.equal(reason(parsed, 'billing-wrong-password'), 'auth');
    for (const collector of ['orders', 'billing', 'billing-wrong-password']) {
      assert.equal(sampleValue(parsed, 'muster_collector_up', { collector }), 1, `${collector}: the ping ran`);
    }
    assert.equal(findSamples(parsed, 'pg_server_info', { collector: 'orders' }).length, 1);
    assert.equal(sampleValue(parsed, 'pg_in_recovery', { collector: 'orders' }), 0);
    // Several cycles later, still one connection per database.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.deepEqual(await musterSessions(), { 'muster/orders': 1, 'muster/billing': 1 });
    const tool = requireTool('promtool');
    if ('skip' in tool) return t.skip(tool.skip);
    const check = promtoolCheck(body);
    assert.equal(check.code, 0, check.output);
  });

  it('a locked table: the ping times out inside its cycle, scrapes stay fast, no session piles up', async () => {
    let holder: Awaited<ReturnType<PostgresServer['connect']>> | undefined = await server.connect({ database: 'orders', applicationName: 'lock-holder' });
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE probe IN ACCESS EXCLUSIVE MODE');
      assert.ok(await eventually(async () => reason((await scrape()).parsed, 'orders') === 'timeout', 5_000), 'orders is reported as timeout');
      for (let i = 0; i < 8; i++) {
        const { parsed } = await scrape();
        assert.equal(up(parsed, 'billing'), 1, 'the other database is unaffected');
        assert.ok(sampleValue(parsed, 'muster_collector_duration_seconds', { collector: 'orders' }) < 1, 'the cycle ended inside its 1 s deadline');
        assert.equal(sampleValue(parsed, 'muster_collector_up', { collector: 'orders' }), 1);
        // A connection given up on at the timeout may take a moment to end on the server: never a pile-up.
        const sessions = await musterSessions();
        assert.ok((sessions['muster/orders'] ?? 0) <= 2, JSON.stringify(sessions));
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await holder.query('ROLLBACK');
      await holder.end();
      holder = undefined;
      assert.ok(await eventually(async () => up((await scrape()).parsed, 'orders') === 1, 5_000), 'up again once unlocked');
      assert.ok(await eventually(async () => (await musterSessions())['muster/orders'] === 1, 3_000), 'one connection again');
    } finally {
      await holder?.end();
    }
  });

  it('a stopped server is connection-refused with fast scrapes; restarted, both are up again', async () => {
    await server.stop();
    assert.ok(
      await eventually(async () => {
        const { parsed } = await scrape();
        return reason(parsed, 'orders') === 'connection-refused' && reason(parsed, 'billing') === 'connection-refused';
      }, 5_000),
      'both report connection-refused',
    );
    for (let i = 0; i < 5; i++) {
      const { parsed } = await scrape();
      assert.equal(up(parsed, 'orders'), 0);
      assert.equal(findSamples(parsed, 'pg_server_info', { collector: 'orders' }).length, 0);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await server.start();
    assert.ok(
      await eventually(async () => {
        const { parsed } = await scrape();
        return up(parsed, 'orders') === 1 && up(parsed, 'billing') === 1;
      }, 5_000),
      'both up again after the restart',
    );
    assert.equal(exporter.process.exitCode, null, 'the exporter survived');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.deepEqual(await musterSessions(), { 'muster/orders': 1, 'muster/billing': 1 });
  });

  it('never shows a password in its output, /metrics or its status page', async () => {
    const pages = [(await exporter.scrape('/metrics')).body, (await exporter.scrape('/')).body];
    const output = exporter.output();
    assert.match(output, /PostgreSQL ping failed/, 'failures were logged');
    for (const secret of [password, wrongPassword]) {
      assert.ok(!output.includes(secret), 'a password in the log');
      for (const page of pages) assert.ok(!page.includes(secret), 'a password in a page');
    }
  });

  it('closes its connections on shutdown', async () => {
    assert.equal(await exporter.stop(), 0);
    assert.ok(await eventually(async () => Object.keys(await musterSessions()).length === 0, 5_000), JSON.stringify(await musterSessions()));
  });
});
