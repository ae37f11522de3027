import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coalesced } from './reload-queue.js';

describe('coalesced (reload requests)', () => {
  it('runs once for a flood of calls made during a run, and each caller gets a run started after its call', async () => {
    const releases: (() => void)[] = [];
    let runs = 0;
    const reload = coalesced(async () => {
      const run = ++runs;
      await new Promise<void>((done) => releases.push(done));
      return run;
    }, 0);
    const first = reload();
    await new Promise((done) => setImmediate(done));
    assert.equal(runs, 1);
    const flood = Array.from({ length: 500 }, () => reload());
    await new Promise((done) => setImmediate(done));
    assert.equal(runs, 1, 'nothing more runs while the first run is under way');
    releases.shift()?.();
    assert.equal(await first, 1);
    await new Promise((done) => setImmediate(done));
    assert.equal(runs, 2, 'one run for the whole flood');
    const late = reload(); // during the second run: waits for a third
    releases.shift()?.();
    assert.deepEqual(new Set(await Promise.all(flood)), new Set([2]));
    await new Promise((done) => setImmediate(done));
    releases.shift()?.();
    assert.equal(await late, 3);
    assert.equal(runs, 3);
  });

  it('keeps going after a run that rejects', async () => {
    let runs = 0;
    const reload = coalesced(async () => {
      runs++;
      if (runs === 1) throw new Error('bad file');
      return runs;
    }, 0);
    await assert.rejects(reload(), /bad file/);
    assert.equal(await reload(), 2);
  });
});
