import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstRunAt, nameHash, phaseMs } from './phase.js';

describe('phase of an instance within its interval', () => {
  it('is stable for a name and differs between names', () => {
    assert.equal(nameHash('web-1'), nameHash('web-1'));
    assert.notEqual(nameHash('web-1'), nameHash('web-2'));
    assert.equal(phaseMs('web-1', 15_000), phaseMs('web-1', 15_000));
  });

  it('puts the first run within one interval, on the same phase whenever the process starts', () => {
    for (const now of [1_700_000_000_000, 1_700_000_000_001, 1_700_000_007_499, 1_700_000_014_999]) {
      const at = firstRunAt('db-main', 15_000, now);
      assert.ok(at >= now && at < now + 15_000, `${at - now} ms after start`);
      assert.equal(at % 15_000, phaseMs('db-main', 15_000), 'a restart keeps the phase');
    }
  });

  it('spreads a thousand names evenly over the interval', () => {
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 1_000; i++) {
      const phase = phaseMs(`site-${i}`, 15_000);
      buckets[Math.floor(phase / 1_500)] = (buckets[Math.floor(phase / 1_500)] ?? 0) + 1;
    }
    // A uniform spread puts 100 in each tenth; a hash that clustered would leave some near 0.
    for (const count of buckets) assert.ok(count > 60 && count < 140, `tenths hold ${buckets.join(', ')}`);
  });
});
