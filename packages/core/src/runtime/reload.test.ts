import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { API_VERSION, definePlugin, z, silentLogger } from '@muster/sdk';
import type { InstancePlan, Plan } from '../config/plan.js';
import { parseSchedule } from '../config/schedule.js';
import { createCoreContainer } from '../container.js';
import { Runtime } from './runtime.js';

const silent = silentLogger;

describe('Runtime.reload', () => {
  const counting = definePlugin({
    name: 'reload-test',
    apiVersion: API_VERSION,
    configSchema: z.object({ value: z.number().default(1) }),
    create(ctx) {
      const g = ctx.metrics.gauge({ name: 'reload_value', help: 'The configured value.' });
      const runs = ctx.metrics.counter({ name: 'reload_runs_total', help: 'Cycles so far.' });
      return {
        collect() {
          g.set(ctx.config.value);
          runs.inc();
        },
      };
    },
  });
  const planOf = (name: string, value: number): InstancePlan => {
    const schedule = parseSchedule('24h');
    if (typeof schedule === 'string') throw new Error(schedule);
    return {
      name,
      use: 'reload-test',
      plugin: counting,
      schedule,
      timeoutMs: 1000,
      jitterMs: 0,
      align: true,
      labels: {},
      onFailure: 'drop',
      maxSeries: 100,
      config: { value },
      fingerprint: `${name}:${value}`,
    };
  };
  const planWith = (instances: InstancePlan[]): Plan => ({
    filepath: '(test)',
    server: { host: '127.0.0.1', port: 0, metricsPath: '/metrics', requestTimeoutMs: 1000 },
    instances,
    secrets: new Set(),
  });

  it('keeps unchanged instances with their state, recreates changed ones, drops removed ones, adds new ones', async () => {
    const runtime = createCoreContainer({ logger: silent, build: { version: 't' }, plugins: { builtins: {}, hostUrls: [] } }).resolve(Runtime);
    runtime.load(planWith([planOf('same', 1), planOf('changed', 1), planOf('gone', 1)]));
    await runtime.runOnce();
    await runtime.runOnce();
    const sameBefore = runtime.instances.find((i) => i.name === 'same');
    const summary = await runtime.reload(planWith([planOf('same', 1), planOf('changed', 2), planOf('new', 3)]));
    assert.deepEqual(summary, { kept: ['same'], added: ['new'], changed: ['changed'], removed: ['gone'] });
    assert.equal(runtime.instances.find((i) => i.name === 'same'), sameBefore, 'the same Instance object goes on');
    let body = (await runtime.exposition('text')).body;
    assert.doesNotMatch(body, /collector="gone"/, 'the removed instance\'s series are gone at once');
    await runtime.runOnce();
    body = (await runtime.exposition('text')).body;
    // The kept instance's counter went on from 2; the changed one started over.
    assert.match(body, /^reload_runs_total\{collector="same"\} 3$/m);
    assert.match(body, /^reload_runs_total\{collector="changed"\} 1$/m);
    assert.match(body, /^reload_value\{collector="changed"\} 2$/m);
    assert.match(body, /^reload_value\{collector="new"\} 3$/m);
    assert.doesNotMatch(body, /muster_collector_up\{collector="gone"\}/);
    runtime.recordReload(false);
    assert.match((await runtime.exposition('text')).body, /^muster_config_last_reload_successful 0$/m);
    runtime.recordReload(true);
    assert.match((await runtime.exposition('text')).body, /^muster_config_last_reload_successful 1$/m);
    await runtime.stop();
  });
});
