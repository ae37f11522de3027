import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { pgbouncerSkip, startPgBouncer } from './pgbouncer.js';
import { type PostgresServer, startPostgres } from './postgres.js';

describe('startPgBouncer', { timeout: 120_000, skip: pgbouncerSkip() }, () => {
  let server: PostgresServer;
  before(async () => {
    server = await startPostgres();
  });
  after(async () => {
    await server?.close();
  });

  test('pools a server in transaction mode with SCRAM logins; stop, start and close', async () => {
    const bouncer = await startPgBouncer(server);
    try {
      assert.equal(bouncer.poolMode, 'transaction');
      assert.notEqual(bouncer.port, server.port);
      // A query through the pooler reaches the server: the backend's address is the pooler's side.
      const [row] = await bouncer.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      assert.ok(typeof row?.pid === 'number');
      const [config] = await bouncer.admin<{ key: string; value: string }>('SHOW CONFIG').then((rows) => rows.filter((r) => r.key === 'pool_mode'));
      assert.equal(config?.value, 'transaction');
      const [authType] = (await bouncer.admin<{ key: string; value: string }>('SHOW CONFIG')).filter((r) => r.key === 'auth_type');
      assert.equal(authType?.value, 'scram-sha-256');
      // A wrong password is refused by the pooler itself.
      const wrong = new pg.Client({ host: bouncer.host, port: bouncer.port, user: bouncer.user, password: 'wrong', database: 'postgres' });
      wrong.on('error', () => undefined);
      await assert.rejects(wrong.connect(), /SASL authentication failed|password authentication failed/);
      if (process.getuid?.() === 0 && bouncer.pid !== undefined) {
        const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${bouncer.pid}/status`, 'utf8'))?.[1]);
        assert.notEqual(uid, 0, 'as root, PgBouncer runs as another user');
      }
      await bouncer.stop();
      assert.equal(bouncer.pid, undefined);
      await assert.rejects(bouncer.query('SELECT 1'), (err: Error & { code?: string }) => err.code === 'ECONNREFUSED');
      await bouncer.start();
      assert.deepEqual(await bouncer.query('SELECT 1 AS one'), [{ one: 1 }]);
    } finally {
      await bouncer.close();
    }
  });

  test('session mode, and only the listed databases', async () => {
    await server.query('CREATE DATABASE served');
    const bouncer = await startPgBouncer(server, { poolMode: 'session', databases: ['served'] });
    try {
      const client = await bouncer.connect({ database: 'served' });
      const [row] = (await client.query<{ db: string }>('SELECT current_database() AS db')).rows;
      await client.end();
      assert.equal(row?.db, 'served');
      await assert.rejects(bouncer.connect({ database: 'postgres' }), /no such database/);
      const [mode] = (await bouncer.admin<{ key: string; value: string }>('SHOW CONFIG')).filter((r) => r.key === 'pool_mode');
      assert.equal(mode?.value, 'session');
    } finally {
      await bouncer.close();
    }
  });
});
