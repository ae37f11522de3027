import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createHarness, type Harness, sampleValue } from '@muster/testing';
import { type PgBouncer, type PostgresServer, pgbouncerSkip, replicaSkip, startPgBouncer, startPostgres, startReplica } from '@muster/testing-postgres';
import plugin from './index.js';
import { pgReason, pgUp } from './testing/readings.js';

/** pg_in_recovery on a real streaming replica (pg_basebackup -R), beside its primary, directly and through PgBouncer. */
describe('a primary and its streaming replica', { timeout: 240_000, skip: replicaSkip() }, () => {
  let primary: PostgresServer;
  let replica: PostgresServer;
  const bouncers: PgBouncer[] = [];
  const open: Harness[] = [];

  before(async () => {
    primary = await startPostgres({ binaries: 'system' });
    replica = await startReplica(primary);
  });
  after(async () => {
    await Promise.all(open.map((h) => h.close()));
    await Promise.all(bouncers.map((b) => b.close()));
    await replica?.close();
    await primary?.close();
  });

  async function inRecovery(target: { host: string; port: number }, applicationName: string): Promise<number> {
    const h = await createHarness(plugin, { host: target.host, port: target.port, user: primary.user, password: primary.password, applicationName }, { timeout: '5s' });
    open.push(h);
    const cycle = await h.cycle();
    assert.equal(pgUp(cycle), 1, `${applicationName}: ${pgReason(cycle)}`);
    return sampleValue(cycle.exposition, 'pg_in_recovery');
  }

  test('directly: 1 on the replica, 0 on the primary', async () => {
    // The replica really streams from the primary.
    const [sender] = await primary.query<{ state: string }>('SELECT state FROM pg_stat_replication');
    assert.equal(sender?.state, 'streaming');
    assert.equal(await inRecovery(replica, 'direct-replica'), 1);
    assert.equal(await inRecovery(primary, 'direct-primary'), 0);
  });

  for (const poolMode of ['transaction', 'session'] as const) {
    test(`through PgBouncer in ${poolMode} pooling: 1 on the replica, 0 on the primary`, { skip: pgbouncerSkip() }, async () => {
      const [toReplica, toPrimary] = await Promise.all([startPgBouncer(replica, { poolMode }), startPgBouncer(primary, { poolMode })]);
      bouncers.push(toReplica, toPrimary);
      assert.equal(await inRecovery(toReplica, `${poolMode}-replica`), 1);
      assert.equal(await inRecovery(toPrimary, `${poolMode}-primary`), 0);
      // The replica's ping went through the pooler to the replica: its session is there.
      const [seen] = await replica.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [`${poolMode}-replica`]);
      assert.ok((seen?.n ?? 0) >= 1);
    });
  }
});
