import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { eventually, sampleValue } from '@muster/testing';
import { pgbouncerSkip } from '@muster/testing-postgres';
import { nextClientSettings, testRole } from './testing/backend.js';
import { captureLogs } from './testing/logs.js';
import { pooledBackend } from './testing/pooled-backend.js';
import { pgReason, pgUp } from './testing/readings.js';

const ROLE = testRole('muster_odd', 'Odd');

describe('odd and hostile ping configs through PgBouncer', { timeout: 180_000, skip: pgbouncerSkip() }, () => {
  const backend = pooledBackend({ role: ROLE, databases: ['odd'] });

  async function cycle(applicationName: string, extra: Record<string, unknown> = {}, timeout = '2s') {
    const logs = captureLogs();
    const h = await backend.harness(applicationName, extra, { timeout, log: logs.log });
    const result = await h.cycle();
    return { result, logs, h };
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
    assert.deepEqual(await nextClientSettings(backend.bouncer, ROLE, 'odd', { st: 'statement_timeout', sp: 'search_path' }), { st: '0', sp: '"$user", public' });
  });

  test('a 1 ms ping timeout: every ping is a timeout, and nothing is left in the pooler or on the server', async () => {
    const { result, h } = await cycle('tiny-timeout', { timeout: '1ms' });
    assert.equal(pgReason(result), 'timeout');
    for (let i = 0; i < 10; i++) {
      const c = await h.cycle();
      assert.equal(pgReason(c), 'timeout');
      assert.equal(c.health.up, true);
    }
    await backend.closeHarnesses(h);
    let left: unknown[] = [];
    assert.ok(
      await eventually(async () => {
        const clients = (await backend.bouncer.admin<{ application_name: string }>('SHOW CLIENTS')).filter((c) => c.application_name === 'tiny-timeout');
        const running = await backend.server.query("SELECT pid, state FROM pg_stat_activity WHERE usename = $1 AND state <> 'idle'", [ROLE.user]);
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
