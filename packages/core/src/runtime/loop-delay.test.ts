import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { LOOP_DELAY_RESOLUTION_MS, LoopDelay } from './loop-delay.js';

/** Waits until `done()` holds, checking every few milliseconds (no bound on a busy machine but the test's own). */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await sleep(5);
}

function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // a stall, as blocking plugin code makes one
  }
}

describe('LoopDelay', () => {
  it('runs no timer while nobody holds it, and reports no samples then', async () => {
    const delay = new LoopDelay();
    assert.equal(delay.sampling, false);
    await sleep(3 * LOOP_DELAY_RESOLUTION_MS);
    assert.deepEqual(delay.read(), { count: 0, min: 0, max: 0, mean: 0, stddev: 0, p50: 0, p90: 0, p99: 0 });
  });

  it('samples while work holds it, sees a stall, and stops after the last release', async () => {
    const delay = new LoopDelay();
    const first = delay.hold();
    const second = delay.hold();
    assert.equal(delay.sampling, true);
    await sleep(2 * LOOP_DELAY_RESOLUTION_MS);
    block(60);
    await sleep(2 * LOOP_DELAY_RESOLUTION_MS);
    first();
    first(); // a release counts once: the second holder still holds
    await sleep(3 * LOOP_DELAY_RESOLUTION_MS);
    assert.equal(delay.sampling, true);
    second();
    await until(() => !delay.sampling);
    const stats = delay.read();
    assert.ok(stats.count >= 2, `samples: ${stats.count}`);
    // A sample is the resolution plus the delay, as monitorEventLoopDelay reports it.
    assert.ok(stats.min >= LOOP_DELAY_RESOLUTION_MS / 1000 - 0.001, `min ${stats.min}`);
    assert.ok(stats.max >= 0.06, `the 60 ms stall is seen: max ${stats.max}`);
    assert.ok(stats.p50 <= stats.p99 && stats.p99 <= stats.max && stats.mean > 0);
    // Read starts afresh.
    assert.equal(delay.read().count, 0);
  });

  it('holds around a promise until it settles, rejected or not', async () => {
    const delay = new LoopDelay();
    await assert.rejects(delay.around(sleep(LOOP_DELAY_RESOLUTION_MS * 3).then(() => Promise.reject(new Error('boom')))), /boom/);
    await until(() => !delay.sampling);
    assert.ok(delay.read().count >= 1);
    delay.hold();
    delay.stop();
    assert.equal(delay.sampling, false);
  });
});

describe('LoopDelay after stop', () => {
  it('ignores a release of a hold taken before stop: later work is still sampled', async () => {
    const delay = new LoopDelay();
    const beforeStop = delay.hold();
    delay.stop();
    // A cycle aborted by the stop settles afterwards and releases its hold.
    beforeStop();
    const work = delay.hold();
    await sleep(4 * LOOP_DELAY_RESOLUTION_MS);
    assert.equal(delay.sampling, true, 'the hold taken after stop keeps the sampler running');
    work();
    await until(() => !delay.sampling);
    assert.ok(delay.read().count >= 2);
  });
});
