import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createHarness, eventually, type Harness, sampleValue } from '@muster/testing';
import { type PostgresServer, startPostgres } from '@muster/testing-postgres';
import plugin from './index.js';
import { sessions, superuserConfig } from './testing/backend.js';
import { captureLogs } from './testing/logs.js';
import { pgReason, pgUp } from './testing/readings.js';

describe('a database that stops and restarts', { timeout: 60_000 }, () => {
  let server: PostgresServer;
  const open: Harness[] = [];
  const { lines, log } = captureLogs();

  before(async () => {
    server = await startPostgres();
  });
  after(async () => {
    await Promise.all(open.map((h) => h.close()));
    await server?.close();
  });

  async function harness(applicationName: string, extra: Record<string, unknown> = {}): Promise<Harness> {
    const h = await createHarness(plugin, superuserConfig(server, applicationName, { pool: { idleTimeout: '5m' }, ...extra }), { timeout: '2s', log });
    open.push(h);
    return h;
  }

  test('a stopped server is connection-refused, fast; started again it is up at the next cycle', async () => {
    const h = await harness('stop-start');
    assert.equal(pgUp(await h.cycle()), 1);
    await server.stop();
    const started = performance.now();
    const down = await h.cycle();
    const ms = performance.now() - started;
    assert.equal(pgUp(down), 0);
    assert.equal(pgReason(down), 'connection-refused');
    assert.equal(down.health.up, true, 'the collector itself is healthy');
    assert.ok(ms < 500, `a refused ping took ${ms} ms`);
    assert.equal(sampleValue(down.exposition, 'pg_pool_connections'), 0);
    // The idle connection the server closed was reported as a warning, not a crash.
    assert.ok(
      lines.some((l) => l.level === 'warn' && /idle PostgreSQL connection was lost/.test(l.message ?? '')),
      JSON.stringify(lines),
    );
    await server.start();
    const up = await h.cycle();
    assert.equal(pgUp(up), 1);
    assert.equal(pgReason(up), 'none');
  });

  test('restarted inside the idle window (fast and crash-like): the process survives and the next cycle is up', async () => {
    const h = await harness('restart-idle');
    for (const mode of ['fast', 'immediate'] as const) {
      assert.equal(pgUp(await h.cycle()), 1);
      assert.equal((await sessions(server, 'restart-idle')).length, 1, 'an idle connection waits in the pool');
      await server.stop(mode);
      await server.start();
      const cycle = await h.cycle();
      assert.equal(pgUp(cycle), 1, `after a ${mode} restart: ${pgReason(cycle)}`);
      assert.equal((await sessions(server, 'restart-idle')).length, 1);
    }
  });

  test('a session killed by a DBA under the pool: the next cycle is up, on a new connection', async () => {
    const h = await harness('terminated');
    assert.equal(pgUp(await h.cycle()), 1);
    const [session] = await sessions(server, 'terminated');
    assert.ok(session !== undefined);
    // Terminate and ping at once: the pool may hand out the dying connection before it hears of it.
    const [, cycle] = await Promise.all([server.query('SELECT pg_terminate_backend($1)', [session.pid]), h.cycle()]);
    const next = pgUp(cycle) === 1 ? cycle : await h.cycle();
    assert.equal(pgUp(next), 1);
    assert.ok(sampleValue(next.exposition, 'pg_connections_opened_total') <= 2);
  });

  test('the server shutting down is unavailable or refused, never a crash', async () => {
    // A smart shutdown waits for every session to end: close the other tests' pools first.
    await Promise.all(open.splice(0).map((other) => other.close()));
    // No idle connection kept: every ping asks the server for a new one.
    const h = await harness('shutdown', { pool: { idleTimeout: '10ms' } });
    assert.equal(pgUp(await h.cycle()), 1);
    // A smart shutdown waits for sessions to end; meanwhile, new connections are refused by the server.
    const holder = await server.connect({ applicationName: 'shutdown-holder' });
    const stopping = server.stop('smart');
    const started = performance.now();
    try {
      assert.ok(
        await eventually(async () => {
          const cycle = await h.cycle();
          return pgUp(cycle) === 0 && ['unavailable', 'connection-refused'].includes(pgReason(cycle));
        }),
      );
    } finally {
      await holder.end();
      await stopping;
      await server.start();
    }
    assert.ok(performance.now() - started < 10_000, 'the smart shutdown ended with the last session');
    assert.equal(pgUp(await h.cycle()), 1);
  });

  test('close() ends the pool: no session is left on the server', async () => {
    const h = await createHarness(plugin, superuserConfig(server, 'closing'), { timeout: '2s' });
    assert.equal(pgUp(await h.cycle()), 1);
    assert.equal((await sessions(server, 'closing')).length, 1);
    await h.close();
    assert.ok(await eventually(async () => (await sessions(server, 'closing')).length === 0));
  });
});
