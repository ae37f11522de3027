import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { MAX_TIMEOUT_MS, WallTimer } from './wall-timer.js';

describe('WallTimer', () => {
  it('fires at a time further ahead than setTimeout can wait, not before', () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
    try {
      let fired = 0;
      const at = Date.now() + 60 * 86_400_000;
      new WallTimer(at, () => fired++);
      mock.timers.tick(1_000);
      assert.equal(fired, 0, 'not within a second');
      mock.timers.tick(MAX_TIMEOUT_MS);
      assert.equal(fired, 0, 'not after the first piece of the wait');
      mock.timers.tick(at - Date.now() - 1);
      assert.equal(fired, 0, 'not a millisecond early');
      mock.timers.tick(1);
      assert.equal(fired, 1, 'at its time, once');
      mock.timers.tick(MAX_TIMEOUT_MS);
      assert.equal(fired, 1, 'and never again');
    } finally {
      mock.timers.reset();
    }
  });

  it('is stopped by cancel(), also in a later piece of its wait', () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
    try {
      let fired = 0;
      const timer = new WallTimer(Date.now() + 3 * MAX_TIMEOUT_MS, () => fired++);
      mock.timers.tick(MAX_TIMEOUT_MS + 5);
      timer.cancel();
      mock.timers.tick(3 * MAX_TIMEOUT_MS);
      assert.equal(fired, 0);
    } finally {
      mock.timers.reset();
    }
  });
});
