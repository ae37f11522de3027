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
  it('reads ms, s, m, h and d, and nothing that is not a positive duration', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('1.5m'), 90_000);
    assert.equal(parseDuration('2h'), 7_200_000);
    for (const bad of ['0s', '5', '5 years', '-1s', '']) assert.equal(parseDuration(bad), undefined, bad);
  });
});
