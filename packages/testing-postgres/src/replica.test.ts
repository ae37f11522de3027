import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { startPostgres } from './postgres.js';
import { replicaSkip, startReplica } from './replica.js';

describe('startReplica', { timeout: 180_000, skip: replicaSkip() }, () => {
  test('a hot standby streams from its primary and is in recovery; close() removes it', async () => {
    const primary = await startPostgres({ binaries: 'system' });
    try {
      await primary.query('CREATE TABLE streamed (id int)');
      const replica = await startReplica(primary);
      try {
        assert.notEqual(replica.port, primary.port);
        assert.deepEqual(await replica.query('SELECT pg_is_in_recovery() AS r'), [{ r: true }]);
        assert.deepEqual(await primary.query('SELECT pg_is_in_recovery() AS r'), [{ r: false }]);
        const [sender] = await primary.query<{ state: string }>("SELECT state FROM pg_stat_replication WHERE application_name = 'walreceiver' OR state = 'streaming'");
        assert.equal(sender?.state, 'streaming');
        // A row written on the primary arrives on the replica.
        await primary.query('INSERT INTO streamed VALUES (42)');
        let rows: Record<string, unknown>[] = [];
        for (let i = 0; i < 200 && rows.length === 0; i++) {
          rows = await replica.query('SELECT id FROM streamed');
          if (rows.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
        }
        assert.deepEqual(rows, [{ id: 42 }]);
        await assert.rejects(replica.query('INSERT INTO streamed VALUES (1)'), /read-only transaction/);
      } finally {
        await replica.close();
      }
      assert.equal(existsSync(replica.dataDir), false);
    } finally {
      await primary.close();
    }
  });
});
