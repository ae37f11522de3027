import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { API_VERSION, definePlugin, z } from '@muster/sdk';
import { planOf } from './plan.js';

const plugin = definePlugin({
  name: 'plan-test',
  apiVersion: API_VERSION,
  configSchema: z.object({ url: z.string().url(), retries: z.number().int().default(2) }),
  defaults: { schedule: '30s', timeout: '3s' },
  create: () => ({ collect() {} }),
});

describe('planOf', () => {
  it("parses the config with the plugin's schema and takes the plugin's timeout, then muster's defaults", () => {
    const plan = planOf(plugin, { url: 'http://127.0.0.1:1/' });
    assert.equal(plan.name, 'test');
    assert.equal(plan.use, 'plan-test');
    assert.deepEqual(plan.config, { url: 'http://127.0.0.1:1/', retries: 2 });
    assert.equal(plan.timeoutMs, 3_000);
    // A schedule that never fires in a test: the test drives cycles itself.
    assert.deepEqual(plan.schedule, { kind: 'interval', everyMs: 36_500 * 86_400_000, text: '36500d' });
    assert.equal(plan.onFailure, 'drop');
    assert.equal(plan.maxSeries, 10_000);
  });

  it('takes what the test sets', () => {
    const plan = planOf(plugin, { url: 'http://127.0.0.1:1/' }, { name: 'w', timeout: '500ms', schedule: 'on-scrape', isolation: 'worker', pluginUrl: 'file:///p.js', onFailure: 'keep', maxSeries: 5 });
    assert.equal(plan.timeoutMs, 500);
    assert.equal(plan.schedule.kind, 'on-scrape');
    assert.equal(plan.isolation, 'worker');
    assert.equal(plan.use, 'file:///p.js');
    assert.equal(plan.pluginUrl, 'file:///p.js');
    assert.equal(plan.onFailure, 'keep');
    assert.equal(plan.maxSeries, 5);
  });

  it('refuses a config the schema refuses, naming the path, and a timeout that is no duration', () => {
    assert.throws(() => planOf(plugin, { url: 'nope' }), /config\.url/);
    assert.throws(() => planOf(plugin, { url: 'http://127.0.0.1:1/' }, { timeout: 'soon' }), /"soon" is not a duration/);
  });
});
