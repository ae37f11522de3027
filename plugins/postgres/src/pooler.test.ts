import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createHarness, findSamples, type Harness, type HarnessOptions, sampleValue } from '@muster/testing';
import { type PgBouncer, type PostgresServer, pgbouncerSkip, startPgBouncer, startPostgres } from '@muster/testing-postgres';
import pg from 'pg';
import plugin from './index.js';
import { captureLogs, eventually, pgReason, pgUp } from './testing/fixtures.js';

const ROLE = { user: 'muster_ping', password: `Ping-${Math.random().toString(36).slice(2)}-pw` };

/** Sessions of `database` on a server, as its pg_stat_activity shows them (asked directly, or through the pooler). */
async function busy(ask: { query: PostgresServer['query'] }, database: string) {
  return ask.query<{ pid: number; state: string | null; wait_event_type: string | null; query: string }>(
    "SELECT pid, state, wait_event_type, query FROM pg_stat_activity WHERE datname = $1 AND usename = $2 AND pid <> pg_backend_pid() AND (state IS DISTINCT FROM 'idle' OR wait_event_type = 'Lock')",
    [database, ROLE.user],
  );
}

for (const poolMode of ['transaction', 'session'] as const) {
  describe(`through PgBouncer in ${poolMode} pooling (default settings, SCRAM)`, { timeout: 180_000, skip: pgbouncerSkip() }, () => {
    let server: PostgresServer;
    let bouncer: PgBouncer;
    const open: Harness[] = [];

    before(async () => {
      server = await startPostgres();
      await server.query(`CREATE ROLE ${ROLE.user} LOGIN PASSWORD '${ROLE.password}'`);
      for (const db of ['pinged', 'locks', 'fifty']) await server.query(`CREATE DATABASE ${db}`);
      const owner = await server.connect({ database: 'locks' });
      await owner.query(`CREATE TABLE locked (id int); GRANT SELECT ON locked TO ${ROLE.user}`);
      await owner.end();
      bouncer = await startPgBouncer(server, { poolMode, roles: [server.user, ROLE.user] });
    });
    after(async () => {
      await Promise.all(open.map((h) => h.close()));
      await bouncer?.close();
      await server?.close();
    });

    async function harness(applicationName: string, extra: Record<string, unknown> = {}, options: HarnessOptions = {}): Promise<Harness> {
      const config = { host: bouncer.host, port: bouncer.port, database: 'pinged', ...ROLE, applicationName, ...extra };
      const h = await createHarness(plugin, config, { timeout: '2s', ...options });
      open.push(h);
      return h;
    }

    test('the pooler keeps its defaults: no ignore_startup_parameters, the configured pool mode, SCRAM', async () => {
      const config = new Map((await bouncer.admin<{ key: string; value: string }>('SHOW CONFIG')).map((r) => [r.key, r.value]));
      assert.equal(config.get('ignore_startup_parameters'), '');
      assert.equal(config.get('pool_mode'), poolMode);
      assert.equal(config.get('auth_type'), 'scram-sha-256');
    });

    test('up through the pooler: pg_up 1, the server version and primary; the server sees our application_name', async () => {
      const h = await harness('via-bouncer');
      for (let i = 0; i < 3; i++) {
        const cycle = await h.cycle();
        assert.equal(pgUp(cycle), 1, `${pgReason(cycle)}\n${bouncer.log().slice(-2000)}`);
        assert.equal(pgReason(cycle), 'none');
        assert.equal(sampleValue(cycle.exposition, 'pg_in_recovery'), 0);
        const [info] = findSamples(cycle.exposition, 'pg_server_info');
        const [row] = await server.query<{ v: string }>("SELECT current_setting('server_version') AS v");
        assert.equal(info?.labels.server_version, row?.v);
      }
      // PgBouncer passes application_name on to the server connection it links us to.
      const seen = await server.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'via-bouncer'");
      assert.ok((seen[0]?.n ?? 0) >= 1);
      // Nothing of the ping's transaction is left open on the server.
      assert.deepEqual(await busy(server, 'pinged'), []);
      // And none of its settings: the next client the pooler hands the server connection to sees the defaults.
      const next = new pg.Client({ host: bouncer.host, port: bouncer.port, database: 'pinged', ...ROLE, application_name: 'next-client' });
      next.on('error', () => undefined);
      await next.connect();
      try {
        const [row] = (await next.query<{ st: string; ro: string; iit: string }>(
          "SELECT current_setting('statement_timeout') AS st, current_setting('transaction_read_only') AS ro, current_setting('idle_in_transaction_session_timeout') AS iit",
        )).rows;
        assert.deepEqual(row, { st: '0', ro: 'off', iit: '0' });
      } finally {
        await next.end();
      }
    });

    test('a query that fails is query-error, rolled back: the connection is kept and nothing stays open', async () => {
      const h = await harness('failing-query', { query: 'SELECT * FROM no_such_table' });
      for (let i = 0; i < 3; i++) assert.equal(pgReason(await h.cycle()), 'query-error');
      const last = await h.cycle();
      assert.equal(sampleValue(last.exposition, 'pg_connections_opened_total'), 1);
      assert.deepEqual(await busy(server, 'pinged'), []);
      const h2 = await harness('writing-query', { query: 'CREATE TABLE written_by_a_ping (id int)' });
      assert.equal(pgReason(await h2.cycle()), 'query-error', 'the ping transaction is read-only');
    });

    test('a wrong password is refused by the pooler: pooler-auth, not the database', async () => {
      const h = await harness('wrong-password', { password: 'not-the-password' });
      const cycle = await h.cycle();
      assert.equal(pgUp(cycle), 0);
      assert.equal(pgReason(cycle), 'pooler-auth');
      assert.equal(cycle.health.up, true);
    });

    test('a database missing on the server behind the pooler is database-missing', async () => {
      const h = await harness('missing-db', { database: 'no_such_db' });
      assert.equal(pgReason(await h.cycle()), 'database-missing');
    });

    test('a ping cut by its deadline while its query waits on a lock leaves nothing running on the server', async () => {
      const holder = await server.connect({ database: 'locks', applicationName: 'lock-holder' });
      try {
        await holder.query('BEGIN');
        await holder.query('LOCK TABLE locked IN ACCESS EXCLUSIVE MODE');
        // The lock is held until the end of the test, far longer than the 1 s deadline.
        const logs = captureLogs();
        const h = await harness('cut-by-deadline', { database: 'locks', query: 'SELECT count(*) FROM locked' }, { timeout: '1s', log: logs.log });
        const cycle = await h.cycle();
        assert.equal(pgUp(cycle), 0);
        assert.equal(pgReason(cycle), 'timeout');
        assert.equal(cycle.health.up, true, 'reported inside the cycle');
        // Nothing of ours waits on the lock or sits in a transaction: on the server, and as seen through the pooler.
        let left: unknown[] = [];
        assert.ok(
          await eventually(async () => {
            left = [...(await busy(server, 'locks')), ...(await busy(bouncer, 'locks'))];
            return left.length === 0;
          }),
          JSON.stringify(left),
        );
        // Still locked: the next ping times out the same way; unlocked, it is up.
        assert.equal(pgReason(await h.cycle()), 'timeout');
        await holder.query('ROLLBACK');
        const back = await h.cycle();
        assert.equal(pgUp(back), 1, `${pgReason(back)} ${JSON.stringify(logs.lines.slice(-3))}\n${bouncer.log().slice(-3000)}`);
      } finally {
        await holder.end();
      }
    });

    test('a ping cancelled by the cycle (long before its statement timeout) is cancelled on the server too', async () => {
      const holder = await server.connect({ database: 'locks', applicationName: 'lock-holder-2' });
      try {
        await holder.query('BEGIN');
        await holder.query('LOCK TABLE locked IN ACCESS EXCLUSIVE MODE');
        // A 5 minute instance timeout: the server's statement timeout would fire only after 4.5 minutes.
        const h = await harness('cancelled', { database: 'locks', query: 'SELECT count(*) FROM locked' }, { timeout: '5m' });
        const waiting = h.cycle({ deadlineMs: 50 });
        const cycle = await waiting;
        assert.equal(cycle.health.up, false, 'the cycle was cut');
        let left: unknown[] = [];
        assert.ok(
          await eventually(async () => {
            left = [...(await busy(server, 'locks')), ...(await busy(bouncer, 'locks'))];
            return left.length === 0;
          }, 30_000),
          `still on the server: ${JSON.stringify(left)}`,
        );
        assert.equal((await holder.query('SELECT 1 AS one')).rows[0]?.one, 1, 'the holder still holds its lock');
      } finally {
        await holder.query('ROLLBACK').catch(() => undefined);
        await holder.end();
      }
    });

    test('50 cycles hold at most pool.max server connections', async () => {
      for (const max of [1, 2]) {
        const h = await harness(`fifty-${max}`, { database: 'fifty', pool: { max } });
        let most = 0;
        let mostClients = 0;
        for (let i = 0; i < 50; i++) {
          assert.equal(pgUp(await h.cycle()), 1);
          if (i % 5 === 4) {
            const [row] = await server.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND usename = $2', ['fifty', ROLE.user]);
            most = Math.max(most, row?.n ?? 0);
            const clients = (await bouncer.admin<{ user: string; database: string }>('SHOW CLIENTS')).filter((c) => c.database === 'fifty' && c.user === ROLE.user);
            mostClients = Math.max(mostClients, clients.length);
          }
        }
        assert.ok(most >= 1 && most <= max, `${most} server connections with pool.max ${max}`);
        assert.ok(mostClients >= 1 && mostClients <= max, `${mostClients} pooler clients with pool.max ${max}`);
        const servers = (await bouncer.admin<{ user: string; database: string }>('SHOW SERVERS')).filter((s) => s.database === 'fifty' && s.user === ROLE.user);
        assert.ok(servers.length <= max, `${servers.length} pooler server connections`);
        await h.close();
        open.splice(open.indexOf(h), 1);
      }
    });

    test('the server stopped behind a running pooler: pg_up 0 with pooler-server-down, up again when it returns', async () => {
      // Other tests' idle clients would keep nothing: close them so only this ping uses the pool.
      await Promise.all(open.splice(0).map((h) => h.close()));
      const h = await harness('server-down', {}, { timeout: '1s' });
      assert.equal(pgUp(await h.cycle()), 1);
      await server.stop();
      try {
        // PgBouncer holds the first query until a server connection fails; after that it refuses at once.
        const seen: string[] = [];
        for (let i = 0; i < 5 && !seen.includes('pooler-server-down'); i++) {
          const cycle = await h.cycle();
          assert.equal(pgUp(cycle), 0);
          assert.equal(cycle.health.up, true, 'the collector itself is healthy');
          seen.push(pgReason(cycle));
        }
        assert.ok(seen.includes('pooler-server-down'), `reasons seen: ${seen.join(', ')}`);
        assert.ok(
          seen.every((r) => r === 'pooler-server-down' || r === 'timeout'),
          `reasons seen: ${seen.join(', ')}`,
        );
        // The pooler itself still answers.
        assert.ok((await bouncer.admin('SHOW VERSION')).length >= 1);
      } finally {
        await server.start();
      }
      // PgBouncer retries the server after server_login_retry (15 s by default).
      let last = '';
      assert.ok(
        await eventually(
          async () => {
            const cycle = await h.cycle();
            last = pgReason(cycle);
            return pgUp(cycle) === 1;
          },
          60_000,
          500,
        ),
        `still down: ${last}`,
      );
    });
  });
}

describe('what a pooler refuses, told apart from the database', { timeout: 120_000, skip: pgbouncerSkip() }, () => {
  let server: PostgresServer;
  let bouncer: PgBouncer;
  const open: Harness[] = [];

  before(async () => {
    server = await startPostgres();
    await server.query(`CREATE ROLE ${ROLE.user} LOGIN PASSWORD '${ROLE.password}'`);
    for (const db of ['pinged', 'not_pooled']) await server.query(`CREATE DATABASE ${db}`);
    // Serves one database only, and one client connection at a time.
    bouncer = await startPgBouncer(server, { roles: [server.user, ROLE.user], databases: ['pinged'], settings: { max_client_conn: '1' } });
  });
  after(async () => {
    await Promise.all(open.map((h) => h.close()));
    await bouncer?.close();
    await server?.close();
  });

  async function ping(applicationName: string, extra: Record<string, unknown> = {}) {
    const h = await createHarness(plugin, { host: bouncer.host, port: bouncer.port, database: 'pinged', ...ROLE, applicationName, ...extra }, { timeout: '2s' });
    open.push(h);
    const cycle = await h.cycle();
    await h.close();
    return cycle;
  }

  test('a database the pooler does not serve is pooler-refused, though the server has it', async () => {
    assert.equal((await server.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_database WHERE datname = 'not_pooled'"))[0]?.n, 1);
    const cycle = await ping('not-pooled', { database: 'not_pooled' });
    assert.equal(pgUp(cycle), 0);
    assert.equal(pgReason(cycle), 'pooler-refused');
    assert.equal(pgUp(await ping('pooled')), 1, 'the database it serves is up');
  });

  test('a pool in statement mode refuses the ping transaction: pooler-refused', async () => {
    const statement = await startPgBouncer(server, { poolMode: 'statement', roles: [ROLE.user] });
    try {
      const h = await createHarness(plugin, { host: statement.host, port: statement.port, database: 'pinged', ...ROLE, applicationName: 'statement-mode' }, { timeout: '2s' });
      open.push(h);
      const cycle = await h.cycle();
      assert.equal(pgUp(cycle), 0);
      assert.equal(pgReason(cycle), 'pooler-refused');
    } finally {
      await statement.close();
    }
  });

  test('no more connections allowed (max_client_conn) is pooler-full', async () => {
    const holder = await bouncer.connect({ database: 'pinged', applicationName: 'the-only-client' });
    try {
      const cycle = await ping('one-too-many');
      assert.equal(pgUp(cycle), 0);
      assert.equal(pgReason(cycle), 'pooler-full');
    } finally {
      await holder.end();
    }
    assert.ok(await eventually(async () => pgUp(await ping('room-again')) === 1), 'up once the other client left');
  });
});
