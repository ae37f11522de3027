import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { API_VERSION, CollectError, definePlugin, z, silentLogger } from '@muster/sdk';
import type { InstancePlan } from '../config/plan.js';
import { parseSchedule } from '../config/schedule.js';
import { FamilyRegistry } from '../metrics/families.js';
import { MetricStore } from '../metrics/exposition/store.js';
import { CycleHistory, HISTORY_SIZE } from './history.js';
import { Instance } from './instance.js';
import { runCycle } from './cycle.js';

const silent = silentLogger;

describe('CycleHistory', () => {
  it('keeps the last N cycles, oldest first', () => {
    const history = new CycleHistory(3);
    assert.deepEqual(history.entries(), []);
    for (let n = 1; n <= 5; n++) history.record({ startedAt: n, durationSeconds: n / 10, result: n % 2 === 0 ? 'failure' : 'success', reason: 'timeout' });
    assert.equal(history.size, 3);
    assert.deepEqual(
      history.entries().map((e) => e.startedAt),
      [3, 4, 5],
    );
    assert.deepEqual(history.entries()[1], { startedAt: 4, durationSeconds: 0.4, result: 'failure', reason: 'timeout' });
    assert.equal(history.entries()[0]?.reason, undefined, 'a success carries no reason');
  });

  it('refuses a capacity that is not a positive integer', () => {
    assert.throws(() => new CycleHistory(0), RangeError);
    assert.equal(new CycleHistory().capacity, HISTORY_SIZE);
  });
});

describe('runCycle records each cycle in the instance history', () => {
  it('with its start, duration, result and reason', async () => {
    let fail = false;
    const plugin = definePlugin({
      name: 'history-test',
      apiVersion: API_VERSION,
      configSchema: z.object({}),
      create: () => ({
        collect() {
          if (fail) throw new CollectError('connection-refused', 'connect ECONNREFUSED');
        },
      }),
    });
    const schedule = parseSchedule('1h');
    if (typeof schedule === 'string') throw new Error(schedule);
    const plan: InstancePlan = {
      name: 'h',
      use: 'history-test',
      plugin,
      schedule,
      timeoutMs: 1000,
      jitterMs: 0,
      labels: {},
      onFailure: 'drop',
      maxSeries: 100,
      config: {},
      fingerprint: 'x',
    };
    const instance = new Instance(plan, { families: new FamilyRegistry(), logger: silent, userAgent: 'test' });
    const store = new MetricStore();
    const before = Date.now();
    await runCycle(instance, store);
    fail = true;
    await runCycle(instance, store);
    const [first, second] = instance.history.entries();
    assert.equal(first?.result, 'success');
    assert.ok((first?.startedAt ?? 0) >= before);
    assert.ok((first?.durationSeconds ?? -1) >= 0);
    assert.deepEqual({ result: second?.result, reason: second?.reason }, { result: 'failure', reason: 'connection-refused' });
    await instance.close();
  });
});
