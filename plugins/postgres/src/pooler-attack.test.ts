import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createHarness, eventually, type Harness, selfSignedCert, sleep } from '@muster/testing';
import { type PgBouncer, type PostgresServer, pgbouncerSkip, startPgBouncer } from '@muster/testing-postgres';
import plugin from './index.js';
import { testRole } from './testing/backend.js';
import { captureLogs } from './testing/logs.js';
import { pooledBackend } from './testing/pooled-backend.js';
import { cycleUntilUp, pgReason, pgUp } from './testing/readings.js';

const ROLE = testRole('muster_attack', 'Att');

/** Sessions of our role on the server that are not idle (running, waiting on a lock, idle in transaction). */
async function busy(server: PostgresServer, database: string) {
  return server.query<{ pid: number; state: string | null; query: string }>(
    "SELECT pid, state, query FROM pg_stat_activity WHERE datname = $1 AND usename = $2 AND (state IS DISTINCT FROM 'idle' OR wait_event_type = 'Lock')",
    [database, ROLE.user],
  );
}

describe('a pooler in trouble', { timeout: 240_000, skip: pgbouncerSkip() }, () => {
  const backend = pooledBackend({
    role: ROLE,
    databases: ['attacked'],
    prepare: async (server) => {
      const owner = await server.connect({ database: 'attacked' });
      await owner.query(`CREATE TABLE locked (id int); GRANT SELECT ON locked TO ${ROLE.user}`);
      await owner.end();
    },
  });
  const harness = backend.harness;

  async function ourClients(target: PgBouncer = backend.bouncer) {
    return (await target.admin<{ user: string; database: string; state: string }>('SHOW CLIENTS')).filter((c) => c.user === ROLE.user);
  }

  test('a PAUSEd pooler: each ping times out, its connection is closed on our side, and it is up after RESUME', async () => {
    // PgBouncer does not read from a client waiting for a server, so it notices a closed one only
    // at query_wait_timeout (120 s by default; 3 s here): until then each cut ping stays listed.
    const paused = await startPgBouncer(backend.server, { roles: [backend.server.user, ROLE.user], settings: { query_wait_timeout: '3' } });
    try {
      const h = await harness('paused', {}, { timeout: '1s' }, paused);
      assert.equal(pgUp(await h.cycle()), 1);
      await paused.admin('PAUSE attacked');
      try {
        for (let i = 0; i < 3; i++) {
          const cycle = await h.cycle();
          assert.equal(pgUp(cycle), 0);
          assert.equal(pgReason(cycle), 'timeout');
          assert.equal(cycle.health.up, true);
        }
        let clients: unknown[] = [];
        assert.ok(
          await eventually(async () => {
            clients = await ourClients(paused);
            return clients.length === 0;
          }, 15_000),
          `clients still in the pooler: ${JSON.stringify(clients)}`,
        );
      } finally {
        await paused.admin('RESUME attacked');
      }
      assert.ok(await eventually(async () => pgUp(await h.cycle()) === 1, 15_000), 'up after RESUME');
      assert.deepEqual(await busy(backend.server, 'attacked'), []);
      assert.ok((await ourClients(paused)).length <= 1, 'one client: the pool connection of the last ping');
    } finally {
      await paused.close();
    }
  });

  test('the server restarted while a ping runs: pg_up 0 with a bounded reason, no crash, up again after', async () => {
    const holder = await backend.server.connect({ database: 'attacked', applicationName: 'lock-holder' });
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE locked IN ACCESS EXCLUSIVE MODE');
    const h = await harness('restarted', { query: 'SELECT count(*) FROM locked' }, { timeout: '10s' });
    const running = h.cycle();
    assert.ok(await eventually(async () => (await busy(backend.server, 'attacked')).length >= 1, 5_000), 'the ping waits on the lock');
    await backend.server.stop('fast');
    const cycle = await running;
    await holder.end().catch(() => undefined);
    try {
      assert.equal(pgUp(cycle), 0);
      assert.equal(cycle.health.up, true);
      assert.notEqual(pgReason(cycle), 'error', 'a reason that says what happened');
    } finally {
      await backend.server.start();
    }
    const { up, last } = await cycleUntilUp(h);
    assert.ok(up, `still down: ${last}`);
  });

  test('the pooler stopped while a ping runs: a bounded reason, connection-refused while it is down, up when it returns', async () => {
    const holder = await backend.server.connect({ database: 'attacked', applicationName: 'lock-holder-2' });
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE locked IN ACCESS EXCLUSIVE MODE');
    const logs = captureLogs();
    const h = await harness('pooler-stopped', { query: 'SELECT count(*) FROM locked' }, { timeout: '10s', log: logs.log });
    try {
      const running = h.cycle();
      assert.ok(await eventually(async () => (await busy(backend.server, 'attacked')).length >= 1, 5_000), 'the ping waits on the lock');
      await backend.bouncer.stop();
      const cycle = await running;
      assert.equal(pgUp(cycle), 0);
      assert.equal(cycle.health.up, true);
      assert.notEqual(pgReason(cycle), 'error', `a reason that says what happened ${JSON.stringify(logs.lines)}`);
      assert.equal(pgReason(await h.cycle()), 'connection-refused');
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
      await backend.bouncer.start();
    }
    assert.equal(pgUp(await h.cycle()), 1);
    // The pooler's server connection that ran the cut query is gone or idle.
    assert.ok(await eventually(async () => (await busy(backend.server, 'attacked')).length === 0, 10_000));
  });

  test('many instances against one pooler with max_client_conn exhausted: pooler-full for some, none crash, nothing left after close', async () => {
    const small = await startPgBouncer(backend.server, { roles: [backend.server.user, ROLE.user], settings: { max_client_conn: '4', default_pool_size: '2' } });
    try {
      const many: Harness[] = [];
      for (let i = 0; i < 10; i++) many.push(await harness(`many-${i}`, {}, { timeout: '2s' }, small));
      const reasons: string[] = [];
      for (let round = 0; round < 3; round++) {
        const cycles = await Promise.all(many.map((h) => h.cycle()));
        for (const c of cycles) {
          assert.equal(c.health.up, true);
          reasons.push(pgReason(c));
        }
      }
      assert.ok(reasons.includes('none'), reasons.join(','));
      assert.ok(reasons.includes('pooler-full'), reasons.join(','));
      assert.ok(reasons.every((r) => r === 'none' || r === 'pooler-full' || r === 'timeout'), reasons.join(','));
      const servers = (await small.admin<{ user: string }>('SHOW SERVERS')).filter((s) => s.user === ROLE.user);
      assert.ok(servers.length <= 2, `${servers.length} server connections with default_pool_size 2`);
      await backend.closeHarnesses(...many);
      assert.ok(await eventually(async () => (await ourClients(small)).length === 0, 10_000), 'every client left the pooler');
    } finally {
      await small.close();
    }
  });

  test('special characters in the user, password, database and application_name pass through the pooler; the password shows nowhere', async () => {
    const user = 'odd "user" \\ o\'neil';
    const password = `p@ss:w/rd'"\\ %41 ?#&=${Math.random().toString(36).slice(2)}`;
    const database = 'we"ird db\'x';
    const q = (id: string) => `"${id.replace(/"/g, '""')}"`;
    await backend.server.query(`CREATE ROLE ${q(user)} LOGIN PASSWORD '${password.replace(/'/g, "''")}'`);
    await backend.server.query(`CREATE DATABASE ${q(database)} OWNER ${q(user)}`);
    const odd = await startPgBouncer(backend.server, { roles: [backend.server.user, user] });
    try {
      const logs = captureLogs();
      const applicationName = `it's "quoted" \\ app`;
      const base = { host: odd.host, port: odd.port, applicationName };
      const h1 = backend.adopt(await createHarness(plugin, { ...base, user, password, database }, { timeout: '2s', log: logs.log }));
      const c1 = await h1.cycle();
      assert.equal(pgReason(c1), 'none');
      const seen = await backend.server.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND datname = $2', [applicationName, database]);
      assert.ok((seen[0]?.n ?? 0) >= 1, 'the server sees the application_name and database');
      const url = `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${odd.host}:${odd.port}/${encodeURIComponent(database)}?application_name=${encodeURIComponent(applicationName)}`;
      const h2 = backend.adopt(await createHarness(plugin, { connectionString: url }, { timeout: '2s', log: logs.log }));
      assert.equal(pgReason(await h2.cycle()), 'none');
      // A wrong password that is a secret too, and a password right for a database the pooler refuses.
      const wrong = `${password}-wrong`;
      const h3 = backend.adopt(await createHarness(plugin, { ...base, user, password: wrong, database }, { timeout: '2s', log: logs.log }));
      assert.equal(pgReason(await h3.cycle()), 'pooler-auth');
      const text = [await h1.text(), await h2.text(), await h3.text(), JSON.stringify(logs.lines)].join('\n');
      for (const secret of [password, wrong, encodeURIComponent(password)]) assert.ok(!text.includes(secret), 'the password is not shown');
    } finally {
      await odd.close();
    }
  });

  test('TLS through a pooler: without pooler TLS, require is tls; with it, verify-full is up and a cut ping is cancelled on the server', async () => {
    assert.equal(pgReason(await (await harness('tls-none', { sslmode: 'require' })).cycle()), 'tls');
    const cert = await selfSignedCert({ hosts: ['pooler.muster.test'] });
    const tlsBouncer = await startPgBouncer(backend.server, { roles: [backend.server.user, ROLE.user], tls: cert });
    const holder = await backend.server.connect({ database: 'attacked', applicationName: 'lock-holder-tls' });
    try {
      const tls = { sslmode: 'verify-full', tls: { ca: cert.cert, servername: 'pooler.muster.test' } };
      assert.equal(pgReason(await (await harness('tls-full', tls, {}, tlsBouncer)).cycle()), 'none');
      assert.equal(pgReason(await (await harness('tls-plain', {}, {}, tlsBouncer)).cycle()), 'pooler-auth', 'plain text refused by the pooler');
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE locked IN ACCESS EXCLUSIVE MODE');
      // A 5 minute deadline: only the cancel request can stop the query before 4.5 minutes.
      const h = await harness('tls-cancelled', { ...tls, query: 'SELECT count(*) FROM locked' }, { timeout: '5m' }, tlsBouncer);
      const cycle = await h.cycle({ deadlineMs: 300 });
      assert.equal(cycle.health.up, false);
      let left: unknown[] = [];
      assert.ok(
        await eventually(async () => {
          left = await busy(backend.server, 'attacked');
          return left.length === 0;
        }, 20_000),
        `still on the server: ${JSON.stringify(left)}`,
      );
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
      await tlsBouncer.close();
    }
  });

  test('every cycle above left nothing idle in transaction on the server', async () => {
    await sleep(200);
    const [row] = await backend.server.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'");
    assert.equal(row?.n, 0);
  });
});
