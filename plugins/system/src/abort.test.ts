import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createHarness, type Harness, sampleValue } from '@muster/testing';
import plugin from './index.js';

// The runner fires the cycle's signal at the deadline (or on shutdown). This plugin's only I/O is
// reading /proc/meminfo, on Linux: that read must stop, and collect must reject with the signal's
// reason. Here the test kit calls collect directly with the test's signal, as muster's runner calls it.
const linux = process.platform === 'linux';

describe('the cycle signal', { skip: !linux && 'the only I/O is on Linux' }, () => {
  const config = { perCpu: true };
  const harnesses: Harness[] = [];
  after(() => Promise.all(harnesses.map((h) => h.close())));
  const harness = async (): Promise<Harness> => {
    const h = await createHarness(plugin, config);
    harnesses.push(h);
    return h;
  };
  const rejectedWith = (settled: PromiseSettledResult<unknown>): unknown => (settled.status === 'rejected' ? settled.reason : undefined);

  test("an already aborted signal rejects with its reason and writes nothing", async () => {
    const h = await harness();
    const reason = new Error('cycle deadline');
    const { settled, series } = await h.collect(AbortSignal.abort(reason));
    assert.ok(rejectedWith(settled) === reason, `collect settled ${settled.status}`);
    assert.equal(series, 0);
  });

  test('a signal firing while /proc/meminfo is read rejects; the next cycle works', async () => {
    const h = await harness();
    // With the collector made, collect starts before h.collect returns (see Harness.collect).
    await h.cycle();
    const controller = new AbortController();
    const reason = new Error('shutting down');
    const cycle = h.collect(controller.signal);
    controller.abort(reason);
    const { settled, series } = await cycle;
    assert.ok(rejectedWith(settled) === reason, `collect settled ${settled.status}`);
    assert.equal(series, 0);

    const { health, exposition } = await h.cycle();
    assert.equal(health.up, true);
    // (The CPU ratio needs CPU time to pass between two readings: a cycle right after another may have none.)
    assert.ok(sampleValue(exposition, 'system_cpus') > 0);
    assert.ok(sampleValue(exposition, 'system_memory_bytes', { state: 'available' }) !== undefined);
  });
});
