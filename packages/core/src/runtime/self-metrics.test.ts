import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InstancePlan } from '../config/plan.js';
import { FamilyRegistry } from '../metrics/families.js';
import { type InstanceHealth, newHealth } from './health.js';
import { SelfMetrics } from './self-metrics.js';

function instance(i: number): { plan: InstancePlan; health: InstanceHealth } {
  const plan = { name: `i${i}`, plugin: { name: 'p' }, schedule: { text: '15s' }, selfMetrics: 'standard' } as unknown as InstancePlan;
  return { plan, health: { ...newHealth(), up: true, lastSuccessSeconds: 1 } };
}

const count = (body: Buffer, prefix: string) => body.toString('utf8').split('\n').filter((l) => l.startsWith(prefix)).length;

describe('SelfMetrics.render', () => {
  it('renders every instance when a second render starts while the first is half-way', async () => {
    const self = new SelfMetrics(new FamilyRegistry(), { version: 't' });
    const instances = Array.from({ length: 200 }, (_, i) => instance(i));
    let second: Promise<Buffer> | undefined;
    // Reading instance 100's health starts another render (a scrape in the other format), as a
    // scrape arriving while the first one's render yields to the event loop would.
    const at = instances[100] as { health: InstanceHealth };
    const health = at.health;
    at.health = new Proxy(health, {
      get(target, key, receiver) {
        if (key === 'up' && second === undefined) second = self.render(instances.slice(0, 150), 'openmetrics');
        return Reflect.get(target, key, receiver);
      },
    });
    const first = await self.render(instances, 'text');
    assert.ok(second !== undefined);
    const other = await second;
    assert.equal(count(first, 'muster_collector_up{'), 200);
    assert.equal(count(other, 'muster_collector_up{'), 150);
    assert.equal(count(first, 'muster_collector_info{'), 200);
  });
});
