import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { API_VERSION, CollectError, definePlugin, z, silentLogger } from '@muster/sdk';
import type { InstancePlan } from '../config/plan.js';
import { parseSchedule } from '../config/schedule.js';
import { FamilyRegistry } from '../metrics/families.js';
import { MetricStore } from '../metrics/exposition/store.js';
import { type FailureReason, FAILURE_REASONS } from './health.js';
import { CycleHistory, type CycleRecord, HISTORY_SIZE } from './history.js';
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

  it('gives back what was recorded, through growing, filling and wrapping around', () => {
    for (const capacity of [1, 2, 3, 5, HISTORY_SIZE]) {
      const history = new CycleHistory(capacity);
      const recorded: CycleRecord[] = [];
      for (let n = 0; n < capacity * 2 + 1; n++) {
        const entry: CycleRecord =
          n % 3 === 0
            ? { startedAt: 1_764_000_000_000 + n * 15_000.5, durationSeconds: n / 7, result: 'success' }
            : { startedAt: 1_764_000_000_000 + n, durationSeconds: 0.1 + n, result: 'failure', reason: FAILURE_REASONS[n % FAILURE_REASONS.length] as FailureReason };
        history.record(entry);
        recorded.push(entry);
        assert.deepEqual(history.entries(), recorded.slice(-capacity), `capacity ${capacity}, after ${n + 1} cycles`);
      }
    }
  });

  it('keeps a failure without a reason, and a reason outside the closed set as given', () => {
    const history = new CycleHistory(2);
    history.record({ startedAt: 1, durationSeconds: 0, result: 'failure' });
    history.record({ startedAt: 2, durationSeconds: 0, result: 'failure', reason: 'not-a-reason' as FailureReason });
    assert.deepEqual(history.entries(), [
      { startedAt: 1, durationSeconds: 0, result: 'failure' },
      { startedAt: 2, durationSeconds: 0, result: 'failure', reason: 'not-a-reason' },
    ]);
    history.record({ startedAt: 3, durationSeconds: 0, result: 'success', reason: 'timeout' });
    history.record({ startedAt: 4, durationSeconds: 0, result: 'failure', reason: 'timeout' });
    assert.deepEqual(history.entries(), [
      { startedAt: 3, durationSeconds: 0, result: 'success' },
      { startedAt: 4, durationSeconds: 0, result: 'failure', reason: 'timeout' },
    ]);
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
