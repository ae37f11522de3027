import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { API_VERSION, definePlugin, type Logger, z } from '@muster/sdk';
import type { InstancePlan, Plan } from '../config/plan.js';
import { parseSchedule } from '../config/schedule.js';
import { createCoreContainer } from '../container.js';
import { isMusterError } from '../errors.js';
import { Runtime } from '../runtime/runtime.js';

const warnings: string[] = [];
const logger: Logger = {
  debug() {},
  info() {},
  warn: (a: string | Record<string, unknown>, b?: string) => {
    warnings.push(typeof a === 'string' ? a : `${b ?? ''} ${JSON.stringify(a)}`);
  },
  error() {},
  child: () => logger,
};

/** A plugin writing `app_queue_depth`, a name an app could pick too. */
const plugin = definePlugin({
  name: 'queue',
  apiVersion: API_VERSION,
  configSchema: z.object({}),
  create(ctx) {
    const depth = ctx.metrics.gauge({ name: 'queue_depth', help: 'Messages waiting.' });
    const clash = ctx.metrics.gauge({ name: 'app_requests_in_flight', help: 'Plugin side.' });
    return {
      collect() {
        depth.set(3);
        clash.set(1);
      },
    };
  },
});

function plan(): Plan {
  const schedule = parseSchedule('on-scrape');
  if (typeof schedule === 'string') throw new Error(schedule);
  const instance: InstancePlan = {
    name: 'q1',
    use: 'queue',
    plugin,
    schedule,
    timeoutMs: 1_000,
    jitterMs: 0,
    // Runs at start, in step: these tests are about what a cycle does, not about the spread.
    align: true,
    labels: {},
    onFailure: 'drop',
    maxSeries: 100,
    config: {},
    fingerprint: 'q1',
  };
  return {
    filepath: '(test)',
    server: { host: '127.0.0.1', port: 0, metricsPath: '/metrics', requestTimeoutMs: 30_000 },
    instances: [instance],
    secrets: new Set(),
  };
}

const runtimes: Runtime[] = [];
function newRuntime(): Runtime {
  const runtime = createCoreContainer({ logger, build: { version: '1' }, plugins: { builtins: {}, hostUrls: [] } }).resolve(Runtime);
  runtimes.push(runtime);
  return runtime;
}

const lines = (body: string, prefix: string) => body.split('\n').filter((l) => l.startsWith(prefix));

describe('Runtime.appMetrics', () => {
  afterEach(async () => {
    warnings.length = 0;
    await Promise.all(runtimes.splice(0).map((r) => r.stop()));
  });

  it('renders app families in the same exposition as plugin and self metrics, and never resets them', async () => {
    const runtime = newRuntime();
    const app = runtime.appMetrics();
    assert.equal(runtime.appMetrics(), app, 'one app factory per runtime');
    const requests = app.counter({ name: 'app_hits_total', help: 'Hits.', labelNames: ['route'] });
    const temp = app.gauge({ name: 'app_temperature_celsius', help: 'Temperature.' });
    const never = app.gauge({ name: 'app_never_written', help: 'Not written yet.' });
    void never;
    requests.inc({ route: '/' });
    requests.inc({ route: '/' });
    temp.set(21.5);
    runtime.load(plan());
    const first = (await runtime.exposition('text')).body;
    const second = (await runtime.exposition('text')).body;
    for (const body of [first, second]) {
      assert.deepEqual(lines(body, 'app_hits_total'), ['app_hits_total{route="/"} 2']);
      assert.deepEqual(lines(body, 'app_temperature_celsius'), ['app_temperature_celsius 21.5']);
      assert.deepEqual(lines(body, '# TYPE app_hits_total'), ['# TYPE app_hits_total counter']);
      assert.equal(body.includes('app_never_written'), false, 'a gauge appears once written');
      assert.deepEqual(lines(body, 'queue_depth'), ['queue_depth{collector="q1"} 3']);
      assert.deepEqual(lines(body, 'muster_collector_up{collector="q1"}'), ['muster_collector_up{collector="q1"} 1']);
    }
    const om = (await runtime.exposition('openmetrics')).body;
    assert.deepEqual(lines(om, '# TYPE app_hits '), ['# TYPE app_hits counter']);
    // ?collector= is one instance's series: no app metrics there.
    const only = (await runtime.exposition('text', { collector: 'q1' })).body;
    assert.equal(only.includes('app_hits_total'), false);
  });

  it('runs scrape hooks before each render; a failing hook is logged and skipped', async () => {
    const runtime = newRuntime();
    const app = runtime.appMetrics();
    const scrapes = app.counter({ name: 'app_scrapes_total', help: 'Scrapes seen.' });
    app.onScrape(() => {
      throw new Error('boom');
    });
    const remove = app.onScrape(() => scrapes.inc());
    await runtime.exposition('text');
    const body = (await runtime.exposition('text')).body;
    assert.deepEqual(lines(body, 'app_scrapes_total'), ['app_scrapes_total 2']);
    assert.equal(warnings.length, 2);
    remove();
    assert.deepEqual(lines((await runtime.exposition('text')).body, 'app_scrapes_total'), ['app_scrapes_total 2']);
  });

  it('refuses names of muster and process metrics, reserved labels, and invalid writes', () => {
    const app = newRuntime().appMetrics();
    for (const name of ['process_start_time_seconds', 'nodejs_heap_bytes', 'muster_app_up']) {
      assert.throws(() => app.gauge({ name, help: 'h' }), (e) => isMusterError(e, 'MUSTER_ERR_METRIC_CONFLICT'), name);
    }
    for (const label of ['collector', 'instance', 'job']) {
      assert.throws(
        () => app.gauge({ name: `app_with_${label}`, help: 'h', labelNames: [label] }),
        (e) => isMusterError(e, 'MUSTER_ERR_METRIC_INVALID'),
      );
    }
    const c = app.counter({ name: 'app_things_total', help: 'h', labelNames: ['kind'] });
    assert.throws(() => c.inc({ kind: 'a' }, -1), (e) => isMusterError(e, 'MUSTER_ERR_INVALID_OUTPUT'));
    assert.throws(() => app.counter({ name: 'app_things_total', help: 'h' }), (e) => isMusterError(e, 'MUSTER_ERR_METRIC_INVALID'));
  });

  it('shares the family registry with plugins: a clash fails the plugin instance, not the scrape', async () => {
    const runtime = newRuntime();
    runtime.appMetrics().gauge({ name: 'app_requests_in_flight', help: 'App side.' }).set(2);
    runtime.load(plan());
    const body = (await runtime.exposition('text')).body;
    assert.deepEqual(lines(body, 'app_requests_in_flight'), ['app_requests_in_flight 2']);
    assert.deepEqual(lines(body, 'muster_collector_up{collector="q1"}'), ['muster_collector_up{collector="q1"} 0']);
    assert.deepEqual(
      lines(body, 'muster_collector_failure_reason{collector="q1",muster_collector_failure_reason="create-failed"}'),
      ['muster_collector_failure_reason{collector="q1",muster_collector_failure_reason="create-failed"} 1'],
    );
  });

  it('keeps two runtimes apart: the same app family name in both', async () => {
    const a = newRuntime();
    const b = newRuntime();
    a.appMetrics().counter({ name: 'app_hits_total', help: 'Hits.' }).inc(5);
    b.appMetrics().counter({ name: 'app_hits_total', help: 'Hits.' }).inc(1);
    assert.deepEqual(lines((await a.exposition('text')).body, 'app_hits_total'), ['app_hits_total 5']);
    assert.deepEqual(lines((await b.exposition('text')).body, 'app_hits_total'), ['app_hits_total 1']);
  });
});
