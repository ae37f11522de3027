import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { fullExposition } from './compose.js';
import { MetricStore } from './store.js';
import type { FamilySnapshot } from '../types.js';

function gauge(name: string, count: number): FamilySnapshot {
  const samples = Array.from({ length: count }, (_, i) => ({ name, labels: { id: String(i) }, value: i }));
  return { name, help: `Help of ${name}.`, kind: 'gauge', samples };
}

describe('fullExposition', () => {
  it('gzips the body it was built from, even when an instance commits before gzip() is called', async () => {
    const store = new MetricStore();
    await store.commit('a', [gauge('a_value', 3000)], { constLabels: { collector: 'a' } });
    const exposition = await fullExposition('openmetrics', store, { self: Buffer.from('muster_up 1\n') });
    const seen = exposition.body;
    // Between building the answer and compressing it, another instance commits and one vanishes.
    await store.commit('b', [gauge('b_value', 3000)], { constLabels: { collector: 'b' } });
    store.drop('a');
    const inflated = gunzipSync(Buffer.concat(await exposition.gzip())).toString('utf8');
    assert.equal(inflated, seen);
    assert.equal(inflated.match(/^# EOF$/gm)?.length, 1);
    assert.ok(inflated.includes('a_value{collector="a",id="2999"} 2999\n'));
    assert.ok(!inflated.includes('b_value'));
  });
});
