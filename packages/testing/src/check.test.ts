import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { API_VERSION, definePlugin, z } from '@muster/sdk';
import { assertValidExposition, checkExposition } from './check.js';
import { createHarness } from './harness.js';

const plugin = definePlugin({
  name: 'check-demo',
  apiVersion: API_VERSION,
  configSchema: z.object({}).strict(),
  create(ctx) {
    const g = ctx.metrics.gauge({ name: 'demo_items', help: 'Items.', labelNames: ['kind'] });
    const h = ctx.metrics.histogram({ name: 'demo_seconds', help: 'Time.', buckets: [0.1, 1] });
    const s = ctx.metrics.stateSet({ name: 'demo_state', help: 'State.', states: ['up', 'down'] });
    const c = ctx.metrics.counter({ name: 'demo_runs_total', help: 'Runs.' });
    const i = ctx.metrics.info({ name: 'demo_info', help: 'Info.', labelNames: ['version'] });
    return {
      collect() {
        g.set({ kind: 'a' }, 1);
        h.observe(0.5);
        s.set('up');
        c.inc();
        i.set({ version: '1' });
      },
    };
  },
});

describe('checkExposition', () => {
  it('finds nothing wrong with what muster renders, in both formats', async () => {
    const h = await createHarness(plugin, {}, { labels: { env: 'test' } });
    try {
      await h.cycle();
      assert.deepEqual(checkExposition(await h.text('text')), []);
      assert.deepEqual(checkExposition(await h.text('openmetrics')), []);
      assertValidExposition(await h.text());
    } finally {
      await h.close();
    }
  });

  it('reports a second header, a missing TYPE, mixed label sets, stray samples and bad names', () => {
    const text = [
      '# HELP a_x X.',
      '# TYPE a_x gauge',
      'a_x{collector="one",k="1"} 1',
      'a_x{collector="one"} 2',
      'a_x{collector="two",k="1",j="2"} 3',
      '# HELP a_x X again.',
      '# HELP b_y Y.',
      'b_y 1',
      '# HELP c_h H.',
      '# TYPE c_h histogram',
      'c_h_bucket{le="+Inf"} 1',
      'c_h_total 1',
      '# HELP d_total D.',
      '# TYPE d_total counter',
      'd_total -1',
      '# HELP e_up E.',
      '# TYPE e_up gauge',
      'e_up 1 1700000000000',
      '',
    ].join('\n');
    const problems = checkExposition(text);
    const has = (re: RegExp) => assert.ok(problems.some((p) => re.test(p)), `${re} in:\n${problems.join('\n')}`);
    has(/duplicate # HELP a_x/);
    has(/"a_x" \(collector "one"\) mixes label sets/);
    has(/"b_y" has no # TYPE/);
    has(/sample "c_h_total" does not belong to histogram "c_h"/);
    has(/counter "d_total" is negative/);
    has(/sample "e_up" carries a timestamp/);
    // Different instances may carry different label sets (collector "two" adds j).
    assert.ok(!problems.some((p) => /collector "two"/.test(p)));
    assert.throws(() => assertValidExposition(text), /invalid exposition/);
  });
});

describe('harness deadlines', () => {
  it('cuts one cycle short with deadlineMs and reports timeout', async () => {
    const slow = definePlugin({
      name: 'slow-demo',
      apiVersion: API_VERSION,
      configSchema: z.object({}).strict(),
      create(ctx) {
        const g = ctx.metrics.gauge({ name: 'slow_value', help: 'V.' });
        return {
          async collect(signal) {
            await new Promise((resolve, reject) => {
              const t = setTimeout(resolve, 300);
              signal.addEventListener('abort', () => {
                clearTimeout(t);
                reject(signal.reason);
              });
            });
            g.set(1);
          },
        };
      },
    });
    const h = await createHarness(slow, {}, { timeout: '5s' });
    try {
      const cut = await h.cycle({ deadlineMs: 50 });
      assert.equal(cut.health.up, false);
      assert.equal(cut.health.reason, 'timeout');
      const full = await h.cycle();
      assert.equal(full.health.up, true);
    } finally {
      await h.close();
    }
  });
});
