import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderFamilies } from './format.js';
import { renderFamiliesInSlices, Slicer } from './sliced.js';
import type { FamilySnapshot } from '../types.js';

function gauge(name: string, count: number): FamilySnapshot {
  // Multi-byte label values, so the text crosses several encoded pieces with characters of 2–4 bytes.
  const samples = Array.from({ length: count }, (_, i) => ({ name, labels: { id: String(i), path: `a"b\\${i}é€😀` }, value: i / 3 }));
  return { name, help: `Help of ${name}, with a \\ and "quotes".`, kind: 'gauge', samples };
}

describe('renderFamiliesInSlices', () => {
  it('renders what renderFamilies renders, as UTF-8, in both formats, skipping empty families', async () => {
    const families = [gauge('a_value', 1_234), gauge('b_empty', 0), gauge('c_value', 3)];
    for (const format of ['text', 'openmetrics'] as const) {
      const expected = renderFamilies(families, format);
      assert.ok(expected.length > 3 * 16_384, 'the text is encoded in several pieces');
      assert.deepEqual(await renderFamiliesInSlices(families, format), Buffer.from(expected, 'utf8'));
    }
  });

  it('lets the event loop run once a slice is used up', async () => {
    let ran = false;
    setImmediate(() => {
      ran = true;
    });
    // A zero-length slice yields at every chunk of lines.
    await renderFamiliesInSlices([gauge('a_value', 2_000)], 'text', new Slicer(0, 1));
    assert.ok(ran);
  });
});

describe('Slicer', () => {
  it('is due only every `every` steps and only once the slice is used up', async () => {
    const long = new Slicer(60_000, 1);
    let ran = false;
    setImmediate(() => {
      ran = true;
    });
    for (let i = 0; i < 100; i++) if (long.due()) await long.pause();
    assert.equal(ran, false, 'a slice that is not used up never yields');
    const short = new Slicer(0, 10);
    for (let i = 0; i < 9; i++) assert.equal(short.due(), false, 'no look at the clock before 10 steps');
    assert.equal(ran, false);
    assert.equal(short.due(), true, 'the 10th step looks at the clock, and a zero-length slice is used up');
    await short.pause();
    assert.equal(ran, true);
  });
});
