import assert from 'node:assert/strict';
import { it } from 'node:test';
import { RateLimiter } from './rate-limit.js';

it('lets a burst through, then one request per interval, as Go’s rate.Limiter does', () => {
  let now = 0;
  const limiter = new RateLimiter(1000, 2, () => now);
  assert.deepEqual([limiter.allow(), limiter.allow(), limiter.allow()], [true, true, false]);
  assert.equal(limiter.waitMs, 1000);
  now = 999;
  assert.equal(limiter.allow(), false);
  now = 1000;
  assert.equal(limiter.allow(), true);
  now = 60_000;
  assert.deepEqual([limiter.allow(), limiter.allow(), limiter.allow()], [true, true, false], 'never more than the burst saved up');
});

it('refuses everything with a burst of 0, as Go does', () => {
  const limiter = new RateLimiter(1000, 0, () => 1e9);
  assert.equal(limiter.allow(), false);
  assert.equal(limiter.waitMs, Number.POSITIVE_INFINITY);
});
