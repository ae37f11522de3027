import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createHarness, sampleValue, type Harness } from '@muster/testing';
import { type PgBouncer, type PostgresServer, pgbouncerSkip, startPgBouncer, startPostgres } from '@muster/testing-postgres';
import pg from 'pg';
import plugin from './index.js';
import { captureLogs, eventually, pgReason, pgUp } from './testing/fixtures.js';

const ROLE = { user: 'muster_odd', password: `Odd-${Math.random().toString(36).slice(2)}-pw` };

describe('odd and hostile ping configs through PgBouncer', { timeout: 180_000, skip: pgbouncerSkip() }, () => {
  let server: PostgresServer;
  let bouncer: PgBouncer;
  const open: Harness[] = [];

  before(async () => {
    server = await startPostgres();
    await server.query(`CREATE ROLE ${ROLE.user} LOGIN PASSWORD '${ROLE.password}'`);
    await server.query('CREATE DATABASE odd');
    bouncer = await startPgBouncer(server, { roles: [server.user, ROLE.user] });
  });
  after(async () => {
    await Promise.all(open.map((h) => h.close()));
    await bouncer?.close();
    await server?.close();
  });

  async function cycle(applicationName: string, extra: Record<string, unknown> = {}, timeout = '2s') {
    const logs = captureLogs();
    const h = await createHarness(plugin, { host: bouncer.host, port: bouncer.port, database: 'odd', ...ROLE, applicationName, ...extra }, { timeout, log: logs.log });
    open.push(h);
    const result = await h.cycle();
    return { result, logs, h };
  }

  /** The settings a client the pooler links to the same server connection sees. */
  async function nextClientSettings() {
    const next = new pg.Client({ host: bouncer.host, port: bouncer.port, database: 'odd', ...ROLE, application_name: 'next-client' });
    next.on('error', () => undefined);
    await next.connect();
    try {
      return (await next.query<{ st: string; sp: string }>("SELECT current_setting('statement_timeout') AS st, current_setting('search_path') AS sp")).rows[0];
    } finally {
      await next.end();
    }
  }

  for (const query of ['SELECT 1;', 'SELECT 1 ;  ', 'SELECT 1 WHERE false', 'select 1 -- a comment', 'VALUES (1)']) {
    test(`query ${JSON.stringify(query)} is up`, async () => {
      const { result } = await cycle('odd-query', { query });
      assert.equal(pgReason(result), 'none');
      assert.equal(pgUp(result), 1);
    });
  }

  for (const query of ['SELECT 1; SELECT 2', 'COMMIT', 'ROLLBACK', 'END']) {
    test(`query ${JSON.stringify(query)} (several statements, or one that ends the read-only transaction) is a query-error`, async () => {
      const { result } = await cycle('bad-query', { query }, '5s');
      assert.equal(pgReason(result), 'query-error');
    });
  }

  test('a query that changes a session setting does not leave it on the pooled server connection', async () => {
    const { result } = await cycle('set-config', { query: "SELECT set_config('statement_timeout', '1234', false), set_config('search_path', 'pwned', false)" });
    assert.equal(pgUp(result), 1);
    assert.deepEqual(await nextClientSettings(), { st: '0', sp: '"$user", public' });
  });

  test('a 1 ms ping timeout: every ping is a timeout, and nothing is left in the pooler or on the server', async () => {
    const { result, h } = await cycle('tiny-timeout', { timeout: '1ms' });
    assert.equal(pgReason(result), 'timeout');
    for (let i = 0; i < 10; i++) {
      const c = await h.cycle();
      assert.equal(pgReason(c), 'timeout');
      assert.equal(c.health.up, true);
    }
    await h.close();
    open.splice(open.indexOf(h), 1);
    let left: unknown[] = [];
    assert.ok(
      await eventually(async () => {
        const clients = (await bouncer.admin<{ application_name: string }>('SHOW CLIENTS')).filter((c) => c.application_name === 'tiny-timeout');
        const running = await server.query("SELECT pid, state FROM pg_stat_activity WHERE usename = $1 AND state <> 'idle'", [ROLE.user]);
        left = [...clients, ...running];
        return left.length === 0;
      }, 15_000),
      JSON.stringify(left),
    );
  });

  test('durations longer than a timer holds (~24.8 days) are cut to it, not fired at once', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const { result, h } = await cycle('huge-timeout', { timeout: '1000d', pool: { idleTimeout: '30d', maxLifetime: '1000d' } }, '24d');
      assert.equal(pgReason(result), 'none');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const again = await h.cycle();
      assert.equal(pgUp(again), 1);
      assert.equal(sampleValue(again.exposition, 'pg_connections_opened_total'), 1, 'the idle connection was kept, not closed at once');
      assert.deepEqual(warnings.filter((w) => w.includes('32-bit')), []);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
