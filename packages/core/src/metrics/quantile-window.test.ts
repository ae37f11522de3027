import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXACT_LIMIT, QuantileWindow } from './quantile-window.js';

const read = (window: QuantileWindow, qs: number[]) => {
  const out = new Float64Array(qs.length);
  window.quantilesInto(qs, out);
  return [...out];
};

describe('QuantileWindow', () => {
  it('gives exact nearest-rank quantiles while it holds few observations', () => {
    const window = new QuantileWindow(undefined, 5);
    for (const v of [9, 1, 5, 3, 7, 2, 8, 4, 6, 10]) window.push(v);
    assert.deepEqual(read(window, [0.1, 0.5, 0.9, 0.99]), [1, 5, 9, 10]);
    window.push(Number.NaN);
    assert.deepEqual(read(window, [0.5]), [5], 'NaN has no rank');
  });

  it('answers NaN when empty, and after a reset', () => {
    const window = new QuantileWindow(60, 5);
    assert.ok(Number.isNaN(read(window, [0.5])[0] as number));
    window.push(3);
    window.reset();
    assert.ok(Number.isNaN(read(window, [0.5])[0] as number));
  });

  it('drops raw observations as they leave the window', () => {
    let now = 0;
    const window = new QuantileWindow(60, 6, () => now);
    for (let i = 0; i < 10; i++) window.push(1000);
    now = 35_000;
    for (let i = 0; i < 10; i++) window.push(1);
    now = 40_000;
    assert.deepEqual(read(window, [0.25, 0.9]), [1, 1000]);
    now = 60_001;
    assert.deepEqual(read(window, [0.9]), [1], 'the t=0 values are older than a minute');
    now = 95_001;
    assert.ok(Number.isNaN(read(window, [0.5])[0] as number));
  });

  it('turns into t-digests past its limit and keeps quantiles within 1 % of rank', () => {
    const window = new QuantileWindow(undefined, 5);
    const values: number[] = [];
    for (let i = 0; i < EXACT_LIMIT * 40; i++) {
      const v = (i * 7919) % 10_007;
      values.push(v);
      window.push(v);
    }
    const sorted = values.sort((a, b) => a - b);
    const qs = [0.5, 0.9, 0.99];
    read(window, qs).forEach((estimate, i) => {
      const rank = sorted.findIndex((v) => v >= estimate) / sorted.length;
      assert.ok(Math.abs(rank - (qs[i] as number)) < 0.01, `q=${qs[i]}: estimate ${estimate} at rank ${rank}`);
    });
  });

  it('keeps the window when it has grown into t-digests', () => {
    let now = 0;
    const window = new QuantileWindow(10, 5, () => now);
    for (let i = 0; i <= EXACT_LIMIT; i++) window.push(5);
    assert.deepEqual(read(window, [0.5]), [5]);
    now = 30_000;
    assert.ok(Number.isNaN(read(window, [0.5])[0] as number), 'everything is older than the window');
  });
});
