import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDuration, underDeadline } from './schemas.js';

describe('underDeadline', () => {
  it('is the larger of deadline − 500 ms and 90 % of it, never past the deadline', () => {
    assert.equal(underDeadline(10_000), 9500);
    assert.equal(underDeadline(2000), 1800);
    assert.equal(underDeadline(500), 450);
    assert.equal(underDeadline(1), 1);
    for (const ms of [1, 10, 100, 1000, 60_000]) assert.ok(underDeadline(ms) <= ms);
  });
});

describe('parseDuration', () => {
  it('parses every supported unit into milliseconds', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('15s'), 15_000);
    assert.equal(parseDuration('1m'), 60_000);
    assert.equal(parseDuration('2h'), 7_200_000);
    assert.equal(parseDuration('1d'), 86_400_000);
  });

  it('accepts fractions, a space before the unit, and surrounding whitespace', () => {
    assert.equal(parseDuration('1.5s'), 1_500);
    assert.equal(parseDuration('10 s'), 10_000);
    assert.equal(parseDuration('  30s  '), 30_000);
  });

  it('refuses text that is not a positive duration', () => {
    for (const text of ['', '10', 's', '0s', '0ms', '-5s', '5 seconds', '5sec', '1w', '15S', 'abc', '1m30s', '1e3ms', 'Infinity']) {
      assert.equal(parseDuration(text), undefined, `"${text}" should not parse`);
    }
  });
});
