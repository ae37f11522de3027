import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createHarness, eventually, type Harness } from '@muster/testing';
import { type PostgresServer, startPostgres } from '@muster/testing-postgres';
import plugin from './index.js';
import { sessions, superuserConfig } from './testing/backend.js';
import { pgReason, pgUp } from './testing/readings.js';

describe('a query that returns a huge result', { timeout: 120_000 }, () => {
  let server: PostgresServer;
  const open: Harness[] = [];
  before(async () => {
    server = await startPostgres();
  });
  after(async () => {
    await Promise.all(open.map((h) => h.close()));
    await server?.close();
  });

  test('is not held in memory: the ping reads its first row and stops the rest', async () => {
    const h = await createHarness(plugin, superuserConfig(server, 'huge-result', { query: 'SELECT g, repeat(\'x\', 100) AS pad FROM generate_series(1, 3000000) AS g' }), { timeout: '60s' });
    open.push(h);
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 5);
    let cycle: Awaited<ReturnType<Harness['cycle']>>;
    try {
      cycle = await h.cycle();
    } finally {
      clearInterval(timer);
    }
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    assert.equal(pgReason(cycle), 'none');
    assert.equal(pgUp(cycle), 1);
    // 3 million rows of ~110 bytes: holding them would take several hundred MB.
    assert.ok(peak - before < 64 * 1024 * 1024, `the heap grew by ${Math.round((peak - before) / 1048576)} MB`);
    assert.ok(await eventually(async () => (await sessions(server, 'huge-result')).every((s) => s.state === 'idle')));
  });
});
