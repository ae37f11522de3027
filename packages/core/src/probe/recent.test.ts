import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProbeLog, RECENT_PROBES } from './recent.js';

describe('ProbeLog', () => {
  it('keeps the last probes of each module and forgets, totals included, the modules a reload removed', () => {
    const log = new ProbeLog();
    for (let i = 0; i < RECENT_PROBES + 5; i++) log.record('web', { at: i, target: `t${i}`, success: i % 2 === 0, durationSeconds: 0.01 });
    log.record('gone', { at: 0, target: 'x', success: true, durationSeconds: 0.01 });
    assert.equal(log.recent('web').length, RECENT_PROBES);
    assert.equal(log.recent('web')[0]?.target, 't5', 'oldest first, the first five dropped');
    assert.deepEqual(log.totals('web'), { success: 13, failure: 12 });
    log.retain(['web']);
    assert.deepEqual(log.modules, ['web']);
    assert.deepEqual(log.totals('gone'), { success: 0, failure: 0 });
  });
});
