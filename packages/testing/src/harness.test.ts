import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { API_VERSION, definePlugin, z } from '@muster/sdk';
import { createHarness } from './harness.js';
import { findSamples, parseExposition, sampleValue } from './parse.js';

/** A plugin whose jobs come from a list the test changes between cycles. */
function listPlugin(state: { jobs: string[]; fail?: string; hangMs?: number }) {
  return definePlugin({
    name: 'list',
    apiVersion: API_VERSION,
    configSchema: z.object({ prefix: z.string().default('job') }),
    create(ctx) {
      const jobs = ctx.metrics.gauge({ name: 'list_jobs', help: 'Jobs.', labelNames: ['task'] });
      const runs = ctx.metrics.counter({ name: 'list_runs_total', help: 'Runs.' });
      return {
        async collect(signal) {
          runs.inc();
          if (state.hangMs !== undefined) {
            await new Promise((resolve, reject) => {
              const t = setTimeout(resolve, state.hangMs);
              signal.addEventListener('abort', () => {
                clearTimeout(t);
                reject(signal.reason);
              });
            });
          }
          if (state.fail !== undefined) throw new Error(state.fail);
          for (const job of state.jobs) jobs.set({ task: `${ctx.config.prefix}-${job}` }, 1);
        },
      };
    },
  });
}

describe('createHarness', () => {
  it('runs cycles and returns the committed series, parsed, with the health', async () => {
    const state = { jobs: ['a', 'b'] };
    const harness = await createHarness(listPlugin(state), { prefix: 'p' }, { name: 'mine', labels: { env: 'ci' } });
    try {
      const first = await harness.cycle();
      assert.equal(first.health.up, true);
      assert.deepEqual(first.exposition.problems, []);
      assert.deepEqual(
        findSamples(first.exposition, 'list_jobs').map((s) => s.labels),
        [
          { collector: 'mine', env: 'ci', task: 'p-a' },
          { collector: 'mine', env: 'ci', task: 'p-b' },
        ],
      );
      state.jobs = ['b'];
      const second = await harness.cycle();
      assert.deepEqual(
        findSamples(second.exposition, 'list_jobs').map((s) => s.labels.task),
        ['p-b'],
      );
      assert.equal(sampleValue(second.exposition, 'list_runs_total'), 2);
      assert.equal(second.health.runs.success, 2);
      assert.equal(first.health.runs.success, 1, 'each result is a copy, not a live view');
    } finally {
      await harness.close();
    }
  });

  it('reports failures the way the exporter does', async () => {
    const state: { jobs: string[]; fail?: string } = { jobs: ['a'], fail: 'backend down' };
    const harness = await createHarness(listPlugin(state), {});
    try {
      const result = await harness.cycle();
      assert.equal(result.health.up, false);
      assert.equal(result.health.reason, 'error');
      assert.deepEqual(findSamples(result.exposition, 'list_jobs'), []);
      const text = await harness.text();
      assert.equal(sampleValue(parseExposition(text), 'muster_collector_up', { collector: 'test' }), 0);
    } finally {
      await harness.close();
    }
  });

  it('applies the timeout option', async () => {
    const harness = await createHarness(listPlugin({ jobs: [], hangMs: 5_000 }), {}, { timeout: '100ms' });
    try {
      // The cycle would succeed after 5 s: reason 'timeout' shows the 100 ms deadline cut it.
      const result = await harness.cycle();
      assert.equal(result.health.reason, 'timeout');
    } finally {
      await harness.close();
    }
  });

  it('renders OpenMetrics with # EOF', async () => {
    const harness = await createHarness(listPlugin({ jobs: ['a'] }), {});
    try {
      await harness.cycle();
      const text = await harness.text('openmetrics');
      assert.ok(text.endsWith('# EOF\n'));
      assert.deepEqual(parseExposition(text).problems, []);
    } finally {
      await harness.close();
    }
  });

  it('refuses a config its plugin\'s schema rejects, naming the path', async () => {
    await assert.rejects(createHarness(listPlugin({ jobs: [] }), { prefix: 42 }), /config does not validate: .*prefix/);
  });
});

describe('harness.collect(signal)', () => {
  it('calls collect with the test\'s signal: its outcome and the series it wrote, nothing committed', async () => {
    const state = { jobs: ['a', 'b'] };
    const harness = await createHarness(listPlugin(state), {});
    try {
      const done = await harness.collect(new AbortController().signal);
      assert.equal(done.settled.status, 'fulfilled');
      // Two jobs, and the runs counter.
      assert.equal(done.series, 3);
      assert.equal((await harness.text()).includes('list_jobs{'), false, 'a direct call commits nothing');
      state.jobs = [];
      assert.equal((await harness.collect(new AbortController().signal)).series, 1, 'current-state series are emptied before the call');
      const { health, exposition } = await harness.cycle();
      assert.equal(health.up, true);
      assert.equal(sampleValue(exposition, 'list_runs_total'), 3, 'the runner cycles the same collector');
    } finally {
      await harness.close();
    }
  });

  it('starts collect before it returns once the collector exists: a signal aborted right after rejects it with its reason', { timeout: 30_000 }, async () => {
    const state = { jobs: ['a'], hangMs: 600_000 };
    const harness = await createHarness(listPlugin(state), {});
    try {
      // A first cycle makes the collector (and is cut off at its deadline).
      assert.equal((await harness.cycle({ deadlineMs: 1 })).health.reason, 'timeout');
      const controller = new AbortController();
      const reason = new Error('cycle deadline');
      const outcome = harness.collect(controller.signal);
      controller.abort(reason);
      const { settled, series } = await outcome;
      assert.equal(settled.status, 'rejected');
      assert.equal((settled as PromiseRejectedResult).reason, reason);
      assert.equal(series, 1, 'only the runs counter, which it incremented before waiting');
    } finally {
      await harness.close();
    }
  });
});

describe('labels Prometheus owns', () => {
  for (const label of ['job', 'instance', 'collector']) {
    it(`refuses a plugin metric labelled "${label}" (create-failed)`, async () => {
      const owned = definePlugin({
        name: 'owned-label',
        apiVersion: API_VERSION,
        configSchema: z.object({}),
        create(ctx) {
          const g = ctx.metrics.gauge({ name: 'owned_value', help: 'V.', labelNames: [label] });
          return { collect: () => g.set({ [label]: 'x' }, 1) };
        },
      });
      const h = await createHarness(owned, {});
      try {
        const { health } = await h.cycle();
        assert.equal(health.up, false);
        assert.equal(health.reason, 'create-failed');
        assert.match(health.lastError ?? '', new RegExp(`label "${label}"`));
      } finally {
        await h.close();
      }
    });
  }
});
