import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { silentLogger } from '@muster/sdk';
import type { Instance } from './instance.js';
import { StallWatch } from './stall-watch.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** What the watch reads of an instance: in-process, and whether a collect() is under way. */
const fakeInstance = () => ({ plan: { isolation: 'none' }, slot: { collecting: undefined } }) as unknown as Instance;

/** Whether an instance announced to `watch` (and then dropped by everyone else) is still held after a full collection. */
async function heldAfterCollecting(watch: StallWatch): Promise<boolean> {
  const ref = (() => {
    const instance = fakeInstance();
    watch.collecting(instance);
    return new WeakRef(instance);
  })();
  // Leave the function's frame, then collect.
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  return ref.deref() !== undefined;
}

test('an armed watch holds a collecting instance until its next tick', async () => {
  const watch = new StallWatch(silentLogger);
  watch.start();
  try {
    assert.equal(await heldAfterCollecting(watch), true);
  } finally {
    watch.stop();
  }
});

test('a watch never armed (a runtime only run once) keeps no instance', async () => {
  assert.equal(await heldAfterCollecting(new StallWatch(silentLogger)), false);
});

test('stopping a watch lets go of the instances it held', async () => {
  const watch = new StallWatch(silentLogger);
  watch.start();
  const ref = (() => {
    const instance = fakeInstance();
    watch.collecting(instance);
    return new WeakRef(instance);
  })();
  watch.stop();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  assert.equal(ref.deref(), undefined);
});
