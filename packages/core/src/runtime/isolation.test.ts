import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { API_VERSION, type Collector, definePlugin, z, silentLogger } from '@muster/sdk';
import type { InstancePlan } from '../config/plan.js';
import { parseSchedule } from '../config/schedule.js';
import { FamilyRegistry } from '../metrics/families.js';
import { MetricStore } from '../metrics/exposition/store.js';
import { Instance } from './instance.js';
import { runCycle } from './cycle.js';

// Unhandled rejections and throwing timers are tested against a real `muster start`
// (apps/exporter/src/e2e/isolation.test.ts): node:test takes those process events for itself.
const silent = silentLogger;

function instanceOf(collect: Collector['collect'], timeoutMs = 1_000, name = 'inst', families = new FamilyRegistry()): Instance {
  const plugin = definePlugin({ name: 'isolation-test', apiVersion: API_VERSION, configSchema: z.object({}), create: () => ({ collect }) });
  const schedule = parseSchedule('1h');
  if (typeof schedule === 'string') throw new Error(schedule);
  const plan: InstancePlan = {
    name,
    use: 'isolation-test',
    plugin,
    schedule,
    timeoutMs,
    jitterMs: 0,
    // Runs at start, in step: these tests are about what a cycle does, not about the spread.
    align: true,
    labels: {},
    onFailure: 'drop',
    maxSeries: 10_000,
    config: {},
    fingerprint: name,
  };
  return new Instance(plan, { families, logger: silent, userAgent: 'muster/test' });
}

describe('the cycle slot and synchronous overruns', () => {
  it('records a synchronous cycle past its deadline as a timeout', async () => {
    const busy = instanceOf(() => {
      const end = performance.now() + 120;
      while (performance.now() < end) {
        // computing
      }
    }, 50);
    await runCycle(busy, new MetricStore());
    assert.equal(busy.health.reason, 'timeout');
    assert.equal(busy.health.runs.success, 0);
  });

  it('keeps one slot across instances of a name: the successor of a deaf cycle fails with overrun until it settles', async () => {
    let release: () => void = () => {};
    let calls = 0;
    const families = new FamilyRegistry();
    const deaf = instanceOf(
      () => {
        calls++;
        if (calls > 1) return;
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
      50,
      'same',
      families,
    );
    const store = new MetricStore();
    await runCycle(deaf, store);
    assert.equal(deaf.health.reason, 'timeout');
    await deaf.close();
    // A reload recreates the instance with the same slot.
    const successor = new Instance({ ...deaf.plan, fingerprint: 'changed' }, { families, logger: silent, userAgent: 'muster/test' }, deaf.slot);
    await runCycle(successor, store);
    assert.equal(successor.health.reason, 'overrun');
    assert.equal(calls, 1, 'no second collect() beside the deaf one');
    release();
    await sleep(5);
    assert.equal(successor.slot.collecting, undefined);
    await runCycle(successor, store);
    assert.equal(calls, 2);
    assert.equal(successor.health.up, true);
  });
});
