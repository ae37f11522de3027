import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeError } from '../errors.js';
import { guardProcessExit } from './exit-guard.js';
import { runInScope } from './scope.js';

describe('what a hostile plugin throws or calls', () => {
  it('describeError never throws, whatever the value', () => {
    const evil = {
      toString() {
        throw new Error('toString');
      },
    };
    const getter = new Error('x');
    Object.defineProperty(getter, 'message', {
      get() {
        throw new Error('getter');
      },
    });
    const trap = () => {
      throw new Error('trap');
    };
    const proxy = new Proxy({}, { get: trap, getPrototypeOf: trap, has: trap, ownKeys: trap });
    assert.equal(describeError(undefined), 'undefined');
    assert.equal(describeError('plain'), 'plain');
    assert.equal(describeError(Object.create(null)), 'an unprintable [object Object]');
    assert.match(describeError(evil), /^an unprintable /);
    assert.match(describeError(getter), /^an unprintable /);
    assert.equal(describeError(proxy), 'an unprintable object');
    assert.equal(describeError(new Error('first\nsecond')), 'first');
  });

  it('process.exit, process.abort and removeAllListeners() throw in a plugin scope and work outside it', () => {
    const unguard = guardProcessExit();
    try {
      const owner = { name: 'bad' };
      assert.throws(() => runInScope(owner, () => process.exit(0)), /process\.exit\(\); refused.*\(bad\)/);
      assert.throws(() => runInScope(owner, () => process.abort()), /process\.abort\(\); refused/);
      assert.throws(() => runInScope(owner, () => process.removeAllListeners()), /removeAllListeners\(\); refused/);
      assert.throws(() => runInScope(owner, () => process.removeAllListeners('uncaughtException')), /refused/);
      const before = process.listenerCount('uncaughtException');
      assert.ok(before >= 0);
      // Other events are the plugin's business; outside any scope nothing is refused.
      runInScope(owner, () => process.removeAllListeners('some-plugin-event'));
      process.removeAllListeners('some-other-event');
      assert.equal(process.listenerCount('uncaughtException'), before);
    } finally {
      unguard();
    }
    assert.equal(process.exit.name, 'exit', 'the original is back');
  });
});
