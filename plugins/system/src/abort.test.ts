import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import plugin from './index.js';
import { fakeContext } from './testing/context.js';

// The runner fires the cycle's signal at the deadline (or on shutdown). This plugin's only I/O is
// reading /proc/meminfo, on Linux: that read must stop, and collect must reject with the signal's
// reason. Here collect is called directly, as muster's runner calls it.
const linux = process.platform === 'linux';

describe('the cycle signal', { skip: !linux && 'the only I/O is on Linux' }, () => {
  const config = plugin.configSchema.parse({ perCpu: true });

  test("an already aborted signal rejects with its reason and writes nothing", async () => {
    const { ctx, values } = fakeContext(config);
    const collector = await plugin.create(ctx);
    const reason = new Error('cycle deadline');
    await assert.rejects(Promise.resolve(collector.collect(AbortSignal.abort(reason))), (err) => err === reason);
    assert.equal(values.size, 0);
  });

  test('a signal firing while /proc/meminfo is read rejects; the next cycle works', async () => {
    const { ctx, values } = fakeContext(config);
    const collector = await plugin.create(ctx);
    const controller = new AbortController();
    const reason = new Error('shutting down');
    const cycle = Promise.resolve(collector.collect(controller.signal));
    controller.abort(reason);
    await assert.rejects(cycle, (err) => err === reason);
    assert.equal(values.size, 0);

    await collector.collect(new AbortController().signal);
    assert.ok(values.has('system_cpu_usage_ratio{}'));
    assert.ok(values.has('system_memory_bytes{state="available"}'));
  });
});
