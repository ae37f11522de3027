import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventually, sleep } from './wait.js';

describe('eventually', () => {
  it('resolves true as soon as the check passes, asking again every `everyMs`', async () => {
    let asked = 0;
    assert.equal(await eventually(async () => ++asked === 3, 30_000, 1), true);
    assert.equal(asked, 3);
  });

  it('resolves false once `timeoutMs` has passed without the check passing', async () => {
    let asked = 0;
    const ok = await eventually(
      async () => {
        asked++;
        return false;
      },
      20,
      5,
    );
    assert.equal(ok, false);
    assert.ok(asked >= 2, `asked ${asked} times`);
  });

  it('sleep resolves after its time, not before', async () => {
    const started = performance.now();
    await sleep(20);
    assert.ok(performance.now() - started >= 19);
  });
});
