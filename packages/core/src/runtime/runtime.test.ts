import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { API_VERSION, definePlugin, z, silentLogger } from '@muster/sdk';
import type { InstancePlan, Plan } from '../config/plan.js';
import { parseSchedule } from '../config/schedule.js';
import { createCoreContainer } from '../container.js';
import { CONTENT_TYPES } from '../metrics/exposition/format.js';
import { runCycle } from './cycle.js';
import { Runtime } from './runtime.js';
import { SELF_SERIES_PER_INSTANCE } from './self-metrics.js';

const silent = silentLogger;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What one instance of the test plugin does in collect(). */
interface Behaviour {
  /** Jobs written as app_jobs{job}. */
  readonly jobs?: readonly string[];
  /** Milliseconds collect() takes; it honours the signal unless `ignoreSignal`. */
  readonly delayMs?: number;
  readonly ignoreSignal?: boolean;
  /** Never settles, whatever the signal says. */
  readonly hang?: boolean;
  readonly fail?: string;
}

/** Per-instance behaviour and call counts, keyed by instance name. */
class Backend {
  readonly behaviour = new Map<string, Behaviour>();
  readonly calls = new Map<string, number>();
  readonly closed: string[] = [];

  callsOf(name: string): number {
    return this.calls.get(name) ?? 0;
  }
}

function testPlugin(backend: Backend) {
  return definePlugin({
    name: 'runtime-test',
    apiVersion: API_VERSION,
    configSchema: z.object({}),
    create(ctx) {
      const jobs = ctx.metrics.gauge({ name: 'app_jobs', help: 'Jobs known to the backend.', labelNames: ['task'] });
      return {
        async collect(signal: AbortSignal) {
          backend.calls.set(ctx.name, backend.callsOf(ctx.name) + 1);
          const b = backend.behaviour.get(ctx.name) ?? {};
          if (b.hang) await new Promise<never>(() => {});
          if (b.delayMs !== undefined) {
            await new Promise<void>((resolve, reject) => {
              const timer = setTimeout(resolve, b.delayMs);
              if (!b.ignoreSignal) {
                signal.addEventListener('abort', () => {
                  clearTimeout(timer);
                  reject(signal.reason);
                });
              }
            });
          }
          if (b.fail !== undefined) throw new Error(b.fail);
          for (const job of b.jobs ?? ['default']) jobs.set({ task: job }, 1);
        },
        close() {
          backend.closed.push(ctx.name);
        },
      };
    },
  });
}

function instancePlan(backend: Backend, name: string, scheduleText: string, timeoutMs = 1_000): InstancePlan {
  const schedule = parseSchedule(scheduleText);
  if (typeof schedule === 'string') throw new Error(schedule);
  return {
    name,
    use: 'runtime-test',
    plugin: testPlugin(backend),
    schedule,
    timeoutMs,
    jitterMs: 0,
    // Runs at start, in step: these tests are about what a cycle does, not about the spread.
    align: true,
    labels: {},
    onFailure: 'drop',
    maxSeries: 1_000,
    config: {},
    fingerprint: name,
  };
}

function plan(instances: InstancePlan[], secrets: string[] = []): Plan {
  return {
    filepath: '(test)',
    server: { host: '127.0.0.1', port: 0, metricsPath: '/metrics', requestTimeoutMs: 30_000 },
    instances,
    secrets: new Set(secrets),
  };
}

const runtimes: Runtime[] = [];

function newRuntime(): Runtime {
  const container = createCoreContainer({
    logger: silent,
    build: { version: '9.9.9-test' },
    plugins: { builtins: {}, hostUrls: [] },
  });
  const runtime = container.resolve(Runtime);
  runtimes.push(runtime);
  return runtime;
}

function linesOf(body: string, prefix: string): string[] {
  return body.split('\n').filter((l) => l.startsWith(prefix));
}

/** The value of the one sample line that starts with `series` (name plus labels, exactly). */
function sampleAt(body: string, series: string): number {
  const found = body.split('\n').filter((l) => l.startsWith(`${series} `));
  assert.equal(found.length, 1, `one line for ${series}, found ${found.length}`);
  return Number((found[0] as string).slice(series.length + 1));
}

describe('Runtime', () => {
  afterEach(async () => {
    await Promise.all(runtimes.splice(0).map((r) => r.stop()));
  });

  it('is resolved from the container as one runtime per container', () => {
    const container = createCoreContainer({ logger: silent, build: { version: '1' }, plugins: { builtins: {}, hostUrls: [] } });
    assert.equal(container.resolve(Runtime), container.resolve(Runtime));
    const other = createCoreContainer({ logger: silent, build: { version: '1' }, plugins: { builtins: {}, hostUrls: [] } });
    assert.notEqual(other.resolve(Runtime), container.resolve(Runtime));
  });

  it('renders plugin families once for all instances, plus the health set of each instance', async () => {
    const backend = new Backend();
    backend.behaviour.set('j1', { jobs: ['build', 'deploy'] });
    backend.behaviour.set('j2', { jobs: ['test'] });
    backend.behaviour.set('broken', { fail: 'connection refused' });
    const runtime = newRuntime();
    // The full set of muster's own metrics (selfMetrics: full), run counters and every reason included.
    const full = (name: string): InstancePlan => ({ ...instancePlan(backend, name, '1h'), selfMetrics: 'full' });
    runtime.load(plan([full('j1'), full('j2'), full('broken')]));
    await runtime.runOnce();
    const { body, contentType } = await runtime.exposition('text');
    assert.equal(contentType, CONTENT_TYPES.text);

    assert.deepEqual(linesOf(body, '# HELP app_jobs '), ['# HELP app_jobs Jobs known to the backend.']);
    assert.deepEqual(linesOf(body, '# TYPE app_jobs '), ['# TYPE app_jobs gauge']);
    assert.deepEqual(linesOf(body, 'app_jobs{').sort(), [
      'app_jobs{collector="j1",task="build"} 1',
      'app_jobs{collector="j1",task="deploy"} 1',
      'app_jobs{collector="j2",task="test"} 1',
    ]);

    for (const name of ['j1', 'j2']) {
      assert.equal(sampleAt(body, `muster_collector_up{collector="${name}"}`), 1);
      assert.equal(sampleAt(body, `muster_collector_consecutive_failures{collector="${name}"}`), 0);
      assert.ok(sampleAt(body, `muster_collector_last_success_timestamp_seconds{collector="${name}"}`) > Date.now() / 1000 - 60);
      assert.ok(sampleAt(body, `muster_collector_duration_seconds{collector="${name}"}`) >= 0);
      assert.equal(sampleAt(body, `muster_collector_runs_total{collector="${name}",result="success"}`), 1);
      assert.equal(
        sampleAt(body, `muster_collector_failure_reason{collector="${name}",muster_collector_failure_reason="none"}`),
        1,
      );
    }
    assert.equal(sampleAt(body, 'muster_collector_series{collector="j1"}'), 2);
    assert.equal(sampleAt(body, 'muster_collector_up{collector="broken"}'), 0);
    assert.equal(sampleAt(body, 'muster_collector_consecutive_failures{collector="broken"}'), 1);
    assert.equal(sampleAt(body, 'muster_collector_last_success_timestamp_seconds{collector="broken"}'), 0);
    assert.equal(sampleAt(body, 'muster_collector_runs_total{collector="broken",result="failure"}'), 1);
    assert.equal(
      sampleAt(body, 'muster_collector_failure_reason{collector="broken",muster_collector_failure_reason="error"}'),
      1,
    );
    assert.equal(
      sampleAt(body, 'muster_collector_failure_reason{collector="broken",muster_collector_failure_reason="none"}'),
      0,
    );
    assert.equal(sampleAt(body, 'muster_collector_info{collector="j1",plugin="runtime-test",schedule="1h"}'), 1);
    assert.match(body, /^muster_build_info\{version="9\.9\.9-test",node_version="v\d+/m);
    assert.equal(body.includes('connection refused'), false, 'failure text stays out of /metrics');
    // One header per family across the whole body.
    const helps = linesOf(body, '# HELP ').map((l) => l.split(' ')[2]);
    assert.equal(new Set(helps).size, helps.length, 'no family has two HELP lines');
  });

  it('never runs a scheduled instance during a scrape', async () => {
    const backend = new Backend();
    const runtime = newRuntime();
    runtime.load(plan([instancePlan(backend, 'sched', '1h')]));
    await runtime.runOnce();
    await runtime.exposition('text');
    await runtime.exposition('openmetrics');
    assert.equal(backend.callsOf('sched'), 1);
  });

  it('runs an on-scrape instance during exposition(), one shared cycle for concurrent scrapes', async () => {
    const backend = new Backend();
    backend.behaviour.set('live', { delayMs: 100, jobs: ['x'] });
    const runtime = newRuntime();
    runtime.load(plan([instancePlan(backend, 'live', 'on-scrape')]));
    const [a, b] = await Promise.all([runtime.exposition('text'), runtime.exposition('openmetrics')]);
    assert.equal(backend.callsOf('live'), 1);
    for (const { body } of [a, b]) {
      assert.deepEqual(linesOf(body, 'app_jobs{'), ['app_jobs{collector="live",task="x"} 1']);
      assert.deepEqual(linesOf(body, '# HELP app_jobs '), ['# HELP app_jobs Jobs known to the backend.']);
    }
    await runtime.exposition('text');
    assert.equal(backend.callsOf('live'), 2, 'each later scrape runs a new cycle');
  });

  it('bounds a hanging on-scrape instance by deadlineMs, and still serves the others', async () => {
    const backend = new Backend();
    backend.behaviour.set('hung', { hang: true });
    backend.behaviour.set('sched', { jobs: ['fine'] });
    const runtime = newRuntime();
    runtime.load(plan([instancePlan(backend, 'hung', 'on-scrape', 5_000), instancePlan(backend, 'sched', '1h')]));
    const sched = runtime.instances.find((i) => i.name === 'sched');
    assert.ok(sched !== undefined);
    await runCycle(sched, runtime.store);
    const started = performance.now();
    const { body } = await runtime.exposition('text', { deadlineMs: 150 });
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 150 + 200, `scrape took ${elapsed} ms`);
    assert.equal(sampleAt(body, 'muster_collector_up{collector="hung"}'), 0);
    assert.deepEqual(linesOf(body, 'app_jobs{'), ['app_jobs{collector="sched",task="fine"} 1']);
    assert.equal(sampleAt(body, 'muster_collector_up{collector="sched"}'), 1);
  });

  it(
    'reports an on-scrape instance that ran out of the scrape deadline as failed with reason timeout in that scrape',
        async () => {
      const backend = new Backend();
      backend.behaviour.set('hung', { hang: true });
      const runtime = newRuntime();
      runtime.load(plan([instancePlan(backend, 'hung', 'on-scrape', 5_000)]));
      const { body } = await runtime.exposition('text', { deadlineMs: 150 });
      assert.equal(sampleAt(body, 'muster_collector_up{collector="hung"}'), 0);
      assert.equal(
        sampleAt(body, 'muster_collector_failure_reason{collector="hung",muster_collector_failure_reason="timeout"}'),
        1,
      );
      assert.equal(sampleAt(body, 'muster_collector_consecutive_failures{collector="hung"}'), 1);
    },
  );

  it('keeps muster\'s own series within 12 per instance by default; selfMetrics full adds the rest', async () => {
    const backend = new Backend();
    backend.behaviour.set('broken', { fail: 'nope' });
    const runtime = newRuntime();
    const names = ['ok', 'broken', 'ok-full', 'broken-full'];
    runtime.load(plan(names.map((n) => ({ ...instancePlan(backend, n, '1h'), ...(n.endsWith('-full') ? { selfMetrics: 'full' as const } : {}) }))));
    backend.behaviour.set('broken-full', { fail: 'nope' });
    await runtime.runOnce();
    const { body } = await runtime.exposition('text');
    const seriesOf = (name: string) => body.split('\n').filter((l) => l.startsWith('muster_') && l.includes(`collector="${name}"`));
    for (const name of ['ok', 'broken']) {
      const series = seriesOf(name);
      assert.ok(series.length <= 12, `${name}: ${series.length} series\n${series.join('\n')}`);
      assert.equal(series.length, SELF_SERIES_PER_INSTANCE.standard, series.join('\n'));
      assert.equal(series.some((l) => l.startsWith('muster_collector_runs_total')), false, 'run counters are opt-in');
      // The reason is one series: the current one.
      assert.deepEqual(
        series.filter((l) => l.startsWith('muster_collector_failure_reason')),
        [`muster_collector_failure_reason{collector="${name}",muster_collector_failure_reason="${name === 'ok' ? 'none' : 'error'}"} 1`],
      );
    }
    for (const name of ['ok-full', 'broken-full']) assert.equal(seriesOf(name).length, SELF_SERIES_PER_INSTANCE.full, seriesOf(name).join('\n'));
    assert.equal(sampleAt(body, 'muster_collector_runs_total{collector="broken-full",result="failure"}'), 1);
    // What the status page reads is kept whatever the setting.
    const broken = runtime.instances.find((i) => i.name === 'broken');
    assert.deepEqual(broken?.health.runs, { success: 0, failure: 1, skipped: 0 });
    assert.equal(broken?.health.reason, 'error');
  });

  it('ends OpenMetrics with a single # EOF and uses OpenMetrics family names', async () => {
    const backend = new Backend();
    const runtime = newRuntime();
    runtime.load(plan([{ ...instancePlan(backend, 'a', '1h'), selfMetrics: 'full' }]));
    await runtime.runOnce();
    const { body, contentType } = await runtime.exposition('openmetrics');
    assert.equal(contentType, CONTENT_TYPES.openmetrics);
    assert.ok(body.endsWith('\n# EOF\n'), body.slice(-80));
    assert.equal(body.split('\n').filter((l) => l === '# EOF').length, 1);
    assert.deepEqual(linesOf(body, '# TYPE muster_collector_runs '), ['# TYPE muster_collector_runs counter']);
    assert.deepEqual(linesOf(body, '# TYPE muster_collector_failure_reason '), ['# TYPE muster_collector_failure_reason gauge']);
    assert.deepEqual(linesOf(body, '# TYPE muster_build '), ['# TYPE muster_build info']);
    const text = (await runtime.exposition('text')).body;
    assert.equal(text.includes('# EOF'), false);
  });

  it('serves one instance alone when asked, without self metrics', async () => {
    const backend = new Backend();
    backend.behaviour.set('a', { jobs: ['ja'] });
    backend.behaviour.set('b', { jobs: ['jb'] });
    const runtime = newRuntime();
    runtime.load(plan([instancePlan(backend, 'a', '1h'), instancePlan(backend, 'b', 'on-scrape')]));
    await runtime.runOnce();
    const { body } = await runtime.exposition('text', { collector: 'a' });
    assert.deepEqual(linesOf(body, 'app_jobs{'), ['app_jobs{collector="a",task="ja"} 1']);
    assert.equal(body.includes('muster_'), false);
    const callsOfB = backend.callsOf('b');
    await runtime.exposition('text', { collector: 'a' });
    assert.equal(backend.callsOf('b'), callsOfB, 'an on-scrape instance not asked for does not run');
  });

  it('is ready only once every scheduled instance has settled its first cycle', async () => {
    const backend = new Backend();
    backend.behaviour.set('fast', { delayMs: 10 });
    backend.behaviour.set('slow', { delayMs: 250 });
    backend.behaviour.set('scrape', { delayMs: 10 });
    const runtime = newRuntime();
    assert.equal(runtime.ready, false, 'not ready without a plan');
    runtime.load(
      plan([instancePlan(backend, 'fast', '1h'), instancePlan(backend, 'slow', '1h'), instancePlan(backend, 'scrape', 'on-scrape')]),
    );
    assert.equal(runtime.ready, false, 'not ready before anything ran');
    runtime.start();
    await sleep(100);
    assert.equal(runtime.instances.find((i) => i.name === 'fast')?.health.settled, true);
    assert.equal(runtime.ready, false, 'still waiting for the slow instance');
    await sleep(300);
    assert.equal(runtime.ready, true);
    assert.equal(backend.callsOf('scrape'), 0, 'an on-scrape instance waits for a scrape and does not hold readiness back');
  });

  it('is ready at once when the instances are spread over their interval, before any has run', async () => {
    const backend = new Backend();
    const runtime = newRuntime();
    const spread = { ...instancePlan(backend, 'spread', '1h'), align: false };
    runtime.load(plan([spread]));
    assert.equal(runtime.ready, false, 'not ready before the instances are scheduled');
    runtime.start();
    assert.equal(runtime.ready, true, 'its first cycle is due within its interval: readiness does not wait for it');
    const next = runtime.instances[0]?.health.nextRunAt ?? 0;
    assert.ok(next >= runtime.startedAt && next <= Date.now() + 3_600_000);
    assert.equal(backend.callsOf('spread'), 0, 'it has not run yet');
    await runtime.stop();
  });

  it('counts a failed first cycle as settled for readiness', async () => {
    const backend = new Backend();
    backend.behaviour.set('bad', { fail: 'nope' });
    const runtime = newRuntime();
    runtime.load(plan([instancePlan(backend, 'bad', '1h')]));
    await runtime.runOnce();
    assert.equal(runtime.ready, true);
  });

  it('redacts the plan\'s secrets from recorded errors', async () => {
    const backend = new Backend();
    backend.behaviour.set('a', { fail: 'login as admin:Sup3rSecret! refused' });
    const runtime = newRuntime();
    runtime.load(plan([instancePlan(backend, 'a', '1h')], ['Sup3rSecret!']));
    await runtime.runOnce();
    const health = runtime.instances[0]?.health;
    assert.equal(health?.reason, 'error');
    assert.equal(health?.lastError?.includes('Sup3rSecret!'), false, health?.lastError);
    assert.match(health?.lastError ?? '', /login as admin:\[REDACTED\] refused/);
    assert.equal(runtime.redact('x Sup3rSecret! y'), 'x [REDACTED] y');
  });

  it('stop() closes every collector and ends scheduling', async () => {
    const backend = new Backend();
    const runtime = newRuntime();
    runtime.load(plan([instancePlan(backend, 'a', '100ms', 100), instancePlan(backend, 'b', '1h')]));
    runtime.start();
    await sleep(150);
    await runtime.stop();
    assert.deepEqual([...backend.closed].sort(), ['a', 'b']);
    const calls = backend.callsOf('a');
    assert.ok(calls >= 1);
    await sleep(250);
    assert.equal(backend.callsOf('a'), calls);
  });

  it('bounds a scrape by its own deadline even when it joins a longer on-scrape cycle already running', async () => {
    const backend = new Backend();
    backend.behaviour.set('hung', { hang: true });
    const runtime = newRuntime();
    runtime.load(plan([instancePlan(backend, 'hung', 'on-scrape', 1_000)]));
    // A first scrape without a deadline starts a cycle bounded only by the 1 s timeout.
    const first = runtime.exposition('text');
    await sleep(10);
    const started = performance.now();
    const outcome = await Promise.race([
      runtime.exposition('text', { deadlineMs: 150 }).then(() => 'served'),
      sleep(600).then(() => 'still waiting'),
    ]);
    const elapsed = performance.now() - started;
    assert.equal(outcome, 'served', `a scrape with a 150 ms deadline was still waiting after ${Math.round(elapsed)} ms`);
    assert.ok(elapsed < 150 + 200, `scrape took ${elapsed} ms`);
    assert.equal(backend.callsOf('hung'), 1, 'the second scrape joined the running cycle');
    await runtime.stop();
    await first;
  });
});
