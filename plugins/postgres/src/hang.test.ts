import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createHarness, eventually, type Harness, sampleValue } from '@muster/testing';
import { type PostgresServer, startPostgres } from '@muster/testing-postgres';
import plugin from './index.js';
import { sessions, superuserConfig } from './testing/backend.js';
import { pgReason, pgUp } from './testing/readings.js';

/**
 * A hung database: every way a ping can hang ends at its timeout while the backend still hangs
 * (it hangs far longer than the deadline), scrapes are answered while the cycle waits, and no
 * session is left behind on the server.
 */
describe('a hung database', { timeout: 60_000 }, () => {
  let server: PostgresServer;
  const open: Harness[] = [];

  before(async () => {
    server = await startPostgres();
    await server.query('CREATE TABLE locked (id int)');
  });
  after(async () => {
    await Promise.all(open.map((h) => h.close()));
    await server?.close();
  });

  // A 1 s deadline: the ping gives up at 900 ms, the server's statement timeout fires at 810 ms.
  async function harness(applicationName: string, extra: Record<string, unknown> = {}): Promise<Harness> {
    const h = await createHarness(plugin, superuserConfig(server, applicationName, extra), { timeout: '1s' });
    open.push(h);
    return h;
  }

  /** Runs a cycle while scraping the exposition; returns the cycle and how many scrapes were answered before it ended. */
  async function scrapedCycle(h: Harness) {
    let done = false;
    let answeredDuring = 0;
    const cycle = h.cycle().finally(() => {
      done = true;
    });
    while (!done) {
      await h.text();
      if (!done) answeredDuring++;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { result: await cycle, answeredDuring };
  }

  /** Whether a process is stopped (SIGSTOP): state `T` in /proc. */
  function isStopped(pid: number): boolean {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('T');
  }

  test('a query waiting on a LOCK TABLE held by another session times out; the session is not left waiting', async () => {
    const holder = await server.connect({ applicationName: 'lock-holder' });
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE locked IN ACCESS EXCLUSIVE MODE');
      const h = await harness('hung-lock', { query: 'SELECT count(*) FROM locked' });
      const { result, answeredDuring } = await scrapedCycle(h);
      assert.equal(pgUp(result), 0);
      assert.equal(pgReason(result), 'timeout');
      assert.equal(result.health.up, true, 'reported inside the cycle, not a failed cycle');
      assert.ok(answeredDuring >= 1, 'scrapes were answered while the cycle waited on the lock');
      // The cycle ended while the lock (held until the end of this test) is still held.
      const held = await server.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_locks WHERE pid = $1 AND mode = 'AccessExclusiveLock' AND granted",
        [(holder as unknown as { processID: number }).processID],
      );
      assert.equal(held[0]?.n, 1, 'the lock is still held');
      // The server cancelled the statement itself: our session is idle, not queued on the lock.
      let left = await sessions(server, 'hung-lock');
      assert.ok(
        await eventually(async () => {
          left = await sessions(server, 'hung-lock');
          return left.length <= 1 && left.every((s) => s.state === 'idle' && s.wait_event_type !== 'Lock');
        }, 2_000),
        JSON.stringify(left),
      );
      await holder.query('ROLLBACK');
      assert.equal(pgUp(await h.cycle()), 1, 'up again once the lock is released');
    } finally {
      await holder.end();
    }
  });

  test('pg_sleep in the configured query times out at the ping timeout', async () => {
    // An hour: the cycle can end only by the ping's timeout, with the sleep cut on the server.
    const h = await harness('hung-sleep', { query: 'SELECT pg_sleep(3600)' });
    const { result } = await scrapedCycle(h);
    assert.equal(pgReason(result), 'timeout');
    assert.ok(await eventually(async () => (await sessions(server, 'hung-sleep')).every((s) => s.state === 'idle'), 5_000));
  });

  test('a frozen backend (SIGSTOP): the connection is destroyed at the timeout and its session ends once it wakes', async () => {
    const h = await harness('frozen-backend');
    assert.equal(pgUp(await h.cycle()), 1);
    const [session] = await sessions(server, 'frozen-backend');
    assert.ok(session !== undefined);
    process.kill(session.pid, 'SIGSTOP');
    try {
      const { result } = await scrapedCycle(h);
      assert.equal(pgReason(result), 'timeout');
      assert.ok(isStopped(session.pid), 'the cycle ended while the backend was still frozen');
      assert.equal(sampleValue(result.exposition, 'pg_pool_connections'), 0, 'the pool dropped the connection');
    } finally {
      process.kill(session.pid, 'SIGCONT');
    }
    assert.ok(
      await eventually(async () => !(await sessions(server, 'frozen-backend')).some((s) => s.pid === session.pid)),
      'the frozen session ended once it woke up',
    );
    const next = await h.cycle();
    assert.equal(pgUp(next), 1);
    assert.equal((await sessions(server, 'frozen-backend')).length, 1);
  });

  test('a frozen server (SIGSTOP on the postmaster): connecting times out and the late connection is not kept', async () => {
    const h = await harness('frozen-server');
    const pid = server.pid;
    assert.ok(pid !== undefined);
    process.kill(pid, 'SIGSTOP');
    let result: Awaited<ReturnType<Harness['cycle']>>;
    try {
      ({ result } = await scrapedCycle(h));
      assert.ok(isStopped(pid), 'the cycle ended while the server was still frozen');
      // A second cycle while still frozen: the first attempt does not block it.
      const again = await scrapedCycle(h);
      assert.equal(pgReason(again.result), 'timeout');
      assert.equal(again.result.health.up, true, 'reported inside the cycle, not cut by its deadline');
      assert.ok(isStopped(pid), 'the second cycle ended while the server was still frozen');
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    assert.equal(pgUp(result), 0);
    assert.equal(pgReason(result), 'timeout');
    assert.equal(result.health.up, true);
    // The server now serves the connections queued while it was frozen: their clients are gone.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok(await eventually(async () => (await sessions(server, 'frozen-server')).length === 0), 'no session is left behind');
    const next = await h.cycle();
    assert.equal(pgUp(next), 1);
    assert.equal((await sessions(server, 'frozen-server')).length, 1);
  });

  test('a timeout longer than the instance deadline is shortened, with a warning', async () => {
    const warnings: string[] = [];
    const h = await createHarness(plugin, superuserConfig(server, 'long-timeout', { timeout: '5s', query: 'SELECT pg_sleep(3600)' }), {
      timeout: '1s',
      log: (level, _fields, message) => {
        if (level === 'warn') warnings.push(message ?? '');
      },
    });
    open.push(h);
    const { result } = await scrapedCycle(h);
    // Reported by the ping inside the 1 s cycle, not the cycle cut by its deadline at 5 s.
    assert.equal(pgReason(result), 'timeout');
    assert.equal(result.health.up, true);
    assert.ok(warnings.some((w) => w.includes('config.timeout')), warnings.join('\n'));
  });
});
