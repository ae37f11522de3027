import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseGoDuration } from './go-duration.js';

it("parses durations as Go's time.ParseDuration writes them", () => {
  assert.equal(parseGoDuration('0'), 0);
  assert.equal(parseGoDuration('1s'), 1000);
  assert.equal(parseGoDuration('500ms'), 500);
  assert.equal(parseGoDuration('1m30s'), 90_000);
  assert.equal(parseGoDuration('1.5h'), 5_400_000);
  assert.equal(parseGoDuration('250us'), 0.25);
  for (const bad of ['', '1', 's', '1 s', '1d', '1s2']) assert.equal(parseGoDuration(bad), undefined, bad);
});
