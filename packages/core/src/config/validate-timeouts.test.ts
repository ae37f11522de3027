import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONFIG_FILE, instance, issueAt, issuesOf, newLoader } from '../testing/build-plan.js';
import { DEFAULTS } from './schema.js';
import { buildPlan } from './validate.js';

// buildPlan on timeouts against intervals: inherited ones clamped, explicit ones refused.
describe('buildPlan', () => {
  describe('timeouts and intervals', () => {
    it('clamps an inherited timeout (plugin or muster default) to a shorter interval, and says so', async () => {
      const plan = await buildPlan(
        {
          plugins: [
            { name: 'plugin-default', use: 'fixture', schedule: '2s' },
            { name: 'muster-default', use: 'bare', schedule: '1s' },
            { name: 'fits', use: 'fixture', schedule: '1m' },
          ],
        },
        CONFIG_FILE,
        newLoader(),
        {},
      );
      const clamped = instance(plan, 'plugin-default');
      assert.equal(clamped.timeoutMs, 2_000);
      assert.equal(clamped.timeoutSource, 'plugin');
      assert.equal(clamped.timeoutClampedFrom, '5s');
      const core = instance(plan, 'muster-default');
      assert.equal(core.timeoutMs, 1_000);
      assert.equal(core.timeoutSource, 'muster');
      assert.equal(core.timeoutClampedFrom, DEFAULTS.timeout);
      const fits = instance(plan, 'fits');
      assert.equal(fits.timeoutMs, 5_000);
      assert.equal(fits.timeoutClampedFrom, undefined);
    });

    it('refuses a timeout set explicitly, on the instance or in defaults, that is longer than the interval', async () => {
      const own = await issuesOf({ plugins: [{ name: 'a', use: 'bare', schedule: '1s', timeout: '2s' }] });
      assert.match(issueAt(own, 'plugins[0].timeout').message, /timeout 2s > schedule 1s/);
      const inherited = await issuesOf({ defaults: { timeout: '3s' }, plugins: [{ name: 'a', use: 'bare', schedule: '1s' }] });
      assert.match(issueAt(inherited, 'plugins[0].schedule').message, /timeout 3s \(set in defaults\.timeout\) > schedule 1s/);
    });
  });
});
