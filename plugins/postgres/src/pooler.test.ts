import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { eventually, findSamples, sampleValue } from '@muster/testing';
import { type PostgresServer, pgbouncerSkip, startPgBouncer } from '@muster/testing-postgres';
import { nextClientSettings, testRole } from './testing/backend.js';
import { captureLogs } from './testing/logs.js';
import { pooledBackend } from './testing/pooled-backend.js';
import { cycleUntilUp, pgReason, pgUp } from './testing/readings.js';

const ROLE = testRole('muster_ping', 'Ping');

/** Sessions of `database` on a server, as its pg_stat_activity shows them (asked directly, or through the pooler). */
async function busy(ask: { query: PostgresServer['query'] }, database: string) {
  return ask.query<{ pid: number; state: string | null; wait_event_type: string | null; query: string }>(
    "SELECT pid, state, wait_event_type, query FROM pg_stat_activity WHERE datname = $1 AND usename = $2 AND pid <> pg_backend_pid() AND (state IS DISTINCT FROM 'idle' OR wait_event_type = 'Lock')",
    [database, ROLE.user],
  );
}

for (const poolMode of ['transaction', 'session'] as const) {
  describe(`through PgBouncer in ${poolMode} pooling (default settings, SCRAM)`, { timeout: 180_000, skip: pgbouncerSkip() }, () => {
    const backend = pooledBackend({
      role: ROLE,
      databases: ['pinged', 'locks', 'fifty'],
      prepare: async (server) => {
        const owner = await server.connect({ database: 'locks' });
        await owner.query(`CREATE TABLE locked (id int); GRANT SELECT ON locked TO ${ROLE.user}`);
        await owner.end();
      },
      pooler: { poolMode },
    });
    const harness = backend.harness;

    test('the pooler keeps its defaults: no ignore_startup_parameters, the configured pool mode, SCRAM', async () => {
      const config = new Map((await backend.bouncer.admin<{ key: string; value: string }>('SHOW CONFIG')).map((r) => [r.key, r.value]));
      assert.equal(config.get('ignore_startup_parameters'), '');
      assert.equal(config.get('pool_mode'), poolMode);
      assert.equal(config.get('auth_type'), 'scram-sha-256');
    });

    test('up through the pooler: pg_up 1, the server version and primary; the server sees our application_name', async () => {
      const h = await harness('via-bouncer');
      for (let i = 0; i < 3; i++) {
        const cycle = await h.cycle();
        assert.equal(pgUp(cycle), 1, `${pgReason(cycle)}\n${backend.bouncer.log().slice(-2000)}`);
        assert.equal(pgReason(cycle), 'none');
        assert.equal(sampleValue(cycle.exposition, 'pg_in_recovery'), 0);
        const [info] = findSamples(cycle.exposition, 'pg_server_info');
        const [row] = await backend.server.query<{ v: string }>("SELECT current_setting('server_version') AS v");
        assert.equal(info?.labels.server_version, row?.v);
      }
      // PgBouncer passes application_name on to the server connection it links us to.
      const seen = await backend.server.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'via-bouncer'");
      assert.ok((seen[0]?.n ?? 0) >= 1);
      // Nothing of the ping's transaction is left open on the server.
      assert.deepEqual(await busy(backend.server, 'pinged'), []);
      // And none of its settings: the next client the pooler hands the server connection to sees the defaults.
      const row = await nextClientSettings(backend.bouncer, ROLE, 'pinged', { st: 'statement_timeout', ro: 'transaction_read_only', iit: 'idle_in_transaction_session_timeout' });
      assert.deepEqual(row, { st: '0', ro: 'off', iit: '0' });
    });

    test('a query that fails is query-error, rolled back: the connection is kept and nothing stays open', async () => {
      const h = await harness('failing-query', { query: 'SELECT * FROM no_such_table' });
      for (let i = 0; i < 3; i++) assert.equal(pgReason(await h.cycle()), 'query-error');
      const last = await h.cycle();
      assert.equal(sampleValue(last.exposition, 'pg_connections_opened_total'), 1);
      assert.deepEqual(await busy(backend.server, 'pinged'), []);
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
      const holder = await backend.server.connect({ database: 'locks', applicationName: 'lock-holder' });
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
            left = [...(await busy(backend.server, 'locks')), ...(await busy(backend.bouncer, 'locks'))];
            return left.length === 0;
          }),
          JSON.stringify(left),
        );
        // Still locked: the next ping times out the same way; unlocked, it is up.
        assert.equal(pgReason(await h.cycle()), 'timeout');
        await holder.query('ROLLBACK');
        const back = await h.cycle();
        assert.equal(pgUp(back), 1, `${pgReason(back)} ${JSON.stringify(logs.lines.slice(-3))}\n${backend.bouncer.log().slice(-3000)}`);
      } finally {
        await holder.end();
      }
    });

    test('a ping cancelled by the cycle (long before its statement timeout) is cancelled on the server too', async () => {
      const holder = await backend.server.connect({ database: 'locks', applicationName: 'lock-holder-2' });
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
            left = [...(await busy(backend.server, 'locks')), ...(await busy(backend.bouncer, 'locks'))];
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
            const [row] = await backend.server.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND usename = $2', ['fifty', ROLE.user]);
            most = Math.max(most, row?.n ?? 0);
            const clients = (await backend.bouncer.admin<{ user: string; database: string }>('SHOW CLIENTS')).filter((c) => c.database === 'fifty' && c.user === ROLE.user);
            mostClients = Math.max(mostClients, clients.length);
          }
        }
        assert.ok(most >= 1 && most <= max, `${most} server connections with pool.max ${max}`);
        assert.ok(mostClients >= 1 && mostClients <= max, `${mostClients} pooler clients with pool.max ${max}`);
        const servers = (await backend.bouncer.admin<{ user: string; database: string }>('SHOW SERVERS')).filter((s) => s.database === 'fifty' && s.user === ROLE.user);
        assert.ok(servers.length <= max, `${servers.length} pooler server connections`);
        await backend.closeHarnesses(h);
      }
    });

    test('the server stopped behind a running pooler: pg_up 0 with pooler-server-down, up again when it returns', async () => {
      // Other tests' idle clients would keep nothing: close them so only this ping uses the pool.
      await backend.closeHarnesses();
      const h = await harness('server-down', {}, { timeout: '1s' });
      assert.equal(pgUp(await h.cycle()), 1);
      await backend.server.stop();
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
        assert.ok((await backend.bouncer.admin('SHOW VERSION')).length >= 1);
      } finally {
        await backend.server.start();
      }
      // PgBouncer retries the server after server_login_retry (15 s by default).
      const { up, last } = await cycleUntilUp(h);
      assert.ok(up, `still down: ${last}`);
    });
  });
}

describe('what a pooler refuses, told apart from the database', { timeout: 120_000, skip: pgbouncerSkip() }, () => {
  // Serves one database only, and one client connection at a time.
  const backend = pooledBackend({ role: ROLE, databases: ['pinged', 'not_pooled'], pooler: { databases: ['pinged'], settings: { max_client_conn: '1' } } });

  async function ping(applicationName: string, extra: Record<string, unknown> = {}) {
    const h = await backend.harness(applicationName, extra);
    const cycle = await h.cycle();
    await h.close();
    return cycle;
  }

  test('a database the pooler does not serve is pooler-refused, though the server has it', async () => {
    assert.equal((await backend.server.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_database WHERE datname = 'not_pooled'"))[0]?.n, 1);
    const cycle = await ping('not-pooled', { database: 'not_pooled' });
    assert.equal(pgUp(cycle), 0);
    assert.equal(pgReason(cycle), 'pooler-refused');
    assert.equal(pgUp(await ping('pooled')), 1, 'the database it serves is up');
  });

  test('a pool in statement mode refuses the ping transaction: pooler-refused', async () => {
    const statement = await startPgBouncer(backend.server, { poolMode: 'statement', roles: [ROLE.user] });
    try {
      const h = await backend.harness('statement-mode', {}, {}, statement);
      const cycle = await h.cycle();
      assert.equal(pgUp(cycle), 0);
      assert.equal(pgReason(cycle), 'pooler-refused');
    } finally {
      await statement.close();
    }
  });

  test('no more connections allowed (max_client_conn) is pooler-full', async () => {
    const holder = await backend.bouncer.connect({ database: 'pinged', applicationName: 'the-only-client' });
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
