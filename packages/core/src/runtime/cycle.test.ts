import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { API_VERSION, type CollectorContext, definePlugin, z, silentLogger } from '@muster/sdk';
import type { InstancePlan } from '../config/plan.js';
import { parseSchedule, type Schedule } from '../config/schedule.js';
import type { OnFailure } from '../config/schema.js';
import { FamilyRegistry } from '../metrics/families.js';
import { MetricStore } from '../metrics/exposition/store.js';
import { Instance } from './instance.js';
import { runCycle } from './cycle.js';

const silent = silentLogger;

type Collect = (signal: AbortSignal, ctx: CollectorContext<unknown>) => Promise<void> | void;

interface Setup {
  readonly create?: (ctx: CollectorContext<unknown>) => void;
  readonly collect: Collect;
  readonly timeoutMs?: number;
  readonly onFailure?: OnFailure;
  readonly maxSeries?: number;
  readonly schedule?: string;
  readonly labels?: Record<string, string>;
  readonly name?: string;
}

function schedule(text: string): Schedule {
  const parsed = parseSchedule(text);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

/** An instance of a one-off plugin whose collect() is `setup.collect`, the way a plan would describe it. */
function makeInstance(setup: Setup, families = new FamilyRegistry()): Instance {
  const plugin = definePlugin({
    name: 'runner-test',
    apiVersion: API_VERSION,
    configSchema: z.object({}),
    create(ctx) {
      setup.create?.(ctx);
      return { collect: (signal: AbortSignal) => setup.collect(signal, ctx) };
    },
  });
  const plan: InstancePlan = {
    name: setup.name ?? 'inst',
    use: 'runner-test',
    plugin,
    schedule: schedule(setup.schedule ?? '1h'),
    timeoutMs: setup.timeoutMs ?? 1_000,
    jitterMs: 0,
    labels: setup.labels ?? {},
    onFailure: setup.onFailure ?? 'drop',
    maxSeries: setup.maxSeries ?? 10_000,
    config: {},
    fingerprint: 'test',
  };
  return new Instance(plan, { families, logger: silent, userAgent: 'muster/test' });
}

/** A plugin writing `app_jobs{job}` for each name in `jobs()`, then doing `then`. */
function jobsCollector(jobs: () => readonly string[], then?: Collect): Pick<Setup, 'create' | 'collect'> {
  let gauge: ReturnType<CollectorContext<unknown>['metrics']['gauge']> | undefined;
  return {
    create(ctx) {
      gauge = ctx.metrics.gauge({ name: 'app_jobs', help: 'Jobs.', labelNames: ['task'] });
    },
    async collect(signal, ctx) {
      for (const job of jobs()) gauge?.set({ task: job }, 1);
      await then?.(signal, ctx);
    },
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function sampleLines(store: MetricStore, prefix = 'app_'): string[] {
  return store
    .body('text')
    .split('\n')
    .filter((l) => l.startsWith(prefix));
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

describe('runCycle', () => {
  it('commits a successful cycle with the collector label and records success', async () => {
    const store = new MetricStore();
    const instance = makeInstance({ ...jobsCollector(() => ['a', 'b']), labels: { env: 'prod' } });
    const before = Date.now() / 1000;
    await runCycle(instance, store);
    assert.deepEqual(sampleLines(store), [
      'app_jobs{collector="inst",env="prod",task="a"} 1',
      'app_jobs{collector="inst",env="prod",task="b"} 1',
    ]);
    const h = instance.health;
    assert.equal(h.up, true);
    assert.equal(h.settled, true);
    assert.equal(h.series, 2);
    assert.equal(h.consecutiveFailures, 0);
    assert.equal(h.reason, undefined);
    assert.deepEqual(h.runs, { success: 1, failure: 0, skipped: 0 });
    assert.ok(h.lastSuccessSeconds >= before && h.lastSuccessSeconds <= Date.now() / 1000 + 0.001);
    assert.ok(h.lastDurationSeconds >= 0 && h.lastDurationSeconds < 1);
    assert.ok(!store.body('text').includes('(cached'), 'HELP is printed as declared, without notes');
  });

  it('creates the collector once and reuses it across cycles', async () => {
    let creates = 0;
    const store = new MetricStore();
    const instance = makeInstance({ create: () => void creates++, collect() {} });
    await runCycle(instance, store);
    await runCycle(instance, store);
    assert.equal(creates, 1);
    assert.equal(instance.health.runs.success, 2);
  });

  it('makes vanished series vanish on the next successful cycle', async () => {
    let jobs = ['kept', 'deleted-upstream'];
    const store = new MetricStore();
    const instance = makeInstance(jobsCollector(() => jobs));
    await runCycle(instance, store);
    assert.equal(sampleLines(store).length, 2);
    jobs = ['kept'];
    await runCycle(instance, store);
    assert.deepEqual(sampleLines(store), ['app_jobs{collector="inst",task="kept"} 1']);
    assert.equal(instance.health.series, 1);
  });

  it('fails a throwing collector with reason error, counts failures, and drops its series with onFailure drop', async () => {
    let fail = false;
    const store = new MetricStore();
    const instance = makeInstance({
      ...jobsCollector(
        () => ['a'],
        () => {
          if (fail) throw new Error('backend said no');
        },
      ),
      onFailure: 'drop',
    });
    await runCycle(instance, store);
    assert.equal(sampleLines(store).length, 1);
    fail = true;
    await runCycle(instance, store);
    assert.equal(instance.health.up, false);
    assert.equal(instance.health.reason, 'error');
    assert.match(instance.health.lastError ?? '', /backend said no/);
    assert.equal(instance.health.consecutiveFailures, 1);
    assert.deepEqual(sampleLines(store), []);
    assert.equal(store.has('inst'), false);
    assert.equal(instance.health.series, 0);
    await runCycle(instance, store);
    assert.equal(instance.health.consecutiveFailures, 2);
    assert.deepEqual(instance.health.runs, { success: 1, failure: 2, skipped: 0 });
  });

  it('keeps the last good series after a failure with onFailure keep', async () => {
    let fail = false;
    let jobs = ['a', 'b'];
    const store = new MetricStore();
    const instance = makeInstance({
      ...jobsCollector(
        () => jobs,
        () => {
          if (fail) throw new Error('boom');
        },
      ),
      onFailure: 'keep',
    });
    await runCycle(instance, store);
    fail = true;
    jobs = ['only-half-written'];
    await runCycle(instance, store);
    assert.equal(instance.health.reason, 'error');
    assert.deepEqual(sampleLines(store), ['app_jobs{collector="inst",task="a"} 1', 'app_jobs{collector="inst",task="b"} 1']);
    assert.equal(instance.health.series, 2);
  });

  it('resets the failure count and reason when the instance recovers', async () => {
    let fail = true;
    const store = new MetricStore();
    const instance = makeInstance(
      jobsCollector(
        () => ['a'],
        () => {
          if (fail) throw new Error('down');
        },
      ),
    );
    await runCycle(instance, store);
    await runCycle(instance, store);
    assert.equal(instance.health.consecutiveFailures, 2);
    fail = false;
    await runCycle(instance, store);
    assert.equal(instance.health.up, true);
    assert.equal(instance.health.consecutiveFailures, 0);
    assert.equal(instance.health.reason, undefined);
    assert.equal(instance.health.lastError, undefined);
    assert.equal(sampleLines(store).length, 1);
  });

  it('ends a collector that honours its signal at the timeout, with reason timeout', async () => {
    let sawAbort = false;
    const store = new MetricStore();
    const instance = makeInstance({
      timeoutMs: 150,
      collect: (signal) =>
        new Promise<void>((_, reject) => {
          signal.addEventListener('abort', () => {
            sawAbort = true;
            reject(signal.reason);
          });
        }),
    });
    const elapsed = await timed(() => runCycle(instance, store));
    assert.ok(elapsed >= 140 && elapsed < 150 + 150, `took ${elapsed} ms`);
    assert.equal(sawAbort, true);
    assert.equal(instance.health.reason, 'timeout');
    assert.match(instance.health.lastError ?? '', /150 ms/);
    assert.equal(instance.straggler, undefined, 'a collector that stopped leaves no straggler');
  });

  it('gives the signal a MUSTER_ERR_CYCLE_TIMEOUT reason', async () => {
    let reason: unknown;
    const instance = makeInstance({
      timeoutMs: 100,
      collect: (signal) =>
        new Promise<void>((_, reject) => {
          signal.addEventListener('abort', () => {
            reason = signal.reason;
            reject(signal.reason);
          });
        }),
    });
    await runCycle(instance, new MetricStore());
    assert.equal((reason as { code?: string }).code, 'MUSTER_ERR_CYCLE_TIMEOUT');
  });

  it('ends a collector that ignores its signal at the timeout too, and fails fast while it straggles', async () => {
    let calls = 0;
    let release: () => void = () => {};
    const store = new MetricStore();
    const instance = makeInstance({
      timeoutMs: 150,
      collect: () => {
        calls++;
        if (calls > 1) return;
        // Ignores the signal: settles only when the test says so.
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    });
    const elapsed = await timed(() => runCycle(instance, store));
    assert.ok(elapsed >= 140 && elapsed < 150 + 150, `took ${elapsed} ms`);
    assert.equal(instance.health.reason, 'timeout');
    assert.ok(instance.straggler !== undefined, 'the ignored collect() is tracked as a straggler');

    // The next cycle does not start a second collect() beside the straggler: it fails at once.
    const fast = await timed(() => runCycle(instance, store));
    assert.ok(fast < 50, `second cycle took ${fast} ms`);
    assert.equal(calls, 1);
    assert.equal(instance.health.reason, 'overrun');
    assert.equal(instance.health.consecutiveFailures, 2);
    assert.match(instance.health.lastError ?? '', /still running/);
    assert.ok(instance.slot.overrunSince !== undefined, 'the slot says since when it is held');

    // Once the straggler settles, cycles run again.
    release();
    await instance.straggler;
    await sleep(0);
    assert.equal(instance.straggler, undefined);
    await runCycle(instance, store);
    assert.equal(calls, 2);
    assert.equal(instance.health.up, true);
  });

  it('bounds a cycle by a deadline shorter than the timeout', async () => {
    const instance = makeInstance({ timeoutMs: 5_000, collect: (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))) });
    const elapsed = await timed(() => runCycle(instance, new MetricStore(), { deadlineMs: 100 }));
    assert.ok(elapsed >= 90 && elapsed < 250, `took ${elapsed} ms`);
    assert.equal(instance.health.reason, 'timeout');
  });

  it('fails with invalid-output when an invalid write throws out of collect(), and commits nothing', async () => {
    let gauge: { set(labels: Record<string, string>, value: number): void } | undefined;
    const store = new MetricStore();
    const instance = makeInstance({
      create(ctx) {
        gauge = ctx.metrics.gauge({ name: 'app_x', help: 'h', labelNames: ['a'] });
      },
      collect() {
        gauge?.set({ a: 'ok' }, 1);
        gauge?.set({ undeclared: 'x' }, 1);
      },
    });
    await runCycle(instance, store);
    assert.equal(instance.health.reason, 'invalid-output');
    assert.match(instance.health.lastError ?? '', /undeclared/);
    assert.equal(store.has('inst'), false);
  });

  it('fails with invalid-output even when the collector catches the error', async () => {
    let gauge: { set(labels: Record<string, string>, value: number): void } | undefined;
    let caught: unknown;
    const store = new MetricStore();
    const instance = makeInstance({
      create(ctx) {
        gauge = ctx.metrics.gauge({ name: 'app_x', help: 'h', labelNames: ['a'] });
      },
      collect() {
        gauge?.set({ a: 'fine' }, 1);
        try {
          gauge?.set({}, 1);
        } catch (err) {
          caught = err;
        }
      },
    });
    await runCycle(instance, store);
    assert.ok(caught !== undefined, 'the write threw inside collect()');
    assert.equal(instance.health.up, false);
    assert.equal(instance.health.reason, 'invalid-output');
    assert.match(instance.health.lastError ?? '', /missing/);
    assert.equal(store.has('inst'), false, 'nothing of an invalid cycle is committed');
  });

  it('fails with series-limit when a cycle writes more series than maxSeries, committing none of them', async () => {
    let count = 2;
    const store = new MetricStore();
    const instance = makeInstance({
      ...jobsCollector(() => Array.from({ length: count }, (_, i) => `job-${i}`)),
      maxSeries: 3,
      onFailure: 'keep',
    });
    await runCycle(instance, store);
    assert.equal(instance.health.up, true);
    count = 4;
    await runCycle(instance, store);
    assert.equal(instance.health.reason, 'series-limit');
    assert.match(instance.health.lastError ?? '', /4 series, more than its maxSeries of 3/);
    assert.equal(sampleLines(store).length, 2, 'the last good cycle is kept (onFailure keep), not the flood');
    count = 3;
    await runCycle(instance, store);
    assert.equal(instance.health.up, true, 'exactly maxSeries is allowed');
    assert.equal(sampleLines(store).length, 3);
  });

  it('fails with create-failed when create throws, and retries create on a later cycle', async () => {
    let creates = 0;
    const store = new MetricStore();
    const instance = makeInstance({
      create() {
        creates++;
        if (creates === 1) throw new Error('cannot reach the pool');
      },
      collect() {},
    });
    await runCycle(instance, store);
    assert.equal(instance.health.reason, 'create-failed');
    assert.match(instance.health.lastError ?? '', /cannot reach the pool/);
    assert.equal(instance.collector, undefined);
    await runCycle(instance, store);
    assert.equal(creates, 2);
    assert.equal(instance.health.up, true);
    assert.equal(instance.health.consecutiveFailures, 0);
  });

  it('fails with create-failed when create declares an invalid metric, and frees the names it took', async () => {
    const families = new FamilyRegistry();
    let attempt = 0;
    const instance = makeInstance(
      {
        create(ctx) {
          attempt++;
          ctx.metrics.gauge({ name: 'app_ok', help: `Attempt ${attempt}.` });
          if (attempt === 1) ctx.metrics.counter({ name: 'app_missing_suffix', help: 'h' });
        },
        collect() {},
      },
      families,
    );
    await runCycle(instance, new MetricStore());
    assert.equal(instance.health.reason, 'create-failed');
    assert.match(instance.health.lastError ?? '', /_total/);
    // The second attempt declares app_ok with another help: only possible if the first was released.
    await runCycle(instance, new MetricStore());
    assert.equal(instance.health.up, true, instance.health.lastError);
  });

  it('passes error text through redact before recording it', async () => {
    const instance = makeInstance({
      collect() {
        throw new Error('login with hunter2-password failed');
      },
    });
    await runCycle(instance, new MetricStore(), { redact: (t) => t.replaceAll('hunter2-password', '[REDACTED]') });
    assert.equal(instance.health.lastError, 'login with [REDACTED] failed');
  });

  it('does not commit a cycle that ends after the instance was closed', async () => {
    const store = new MetricStore();
    const instance = makeInstance(jobsCollector(() => ['a'], () => sleep(50)));
    const cycle = runCycle(instance, store);
    await sleep(10);
    await instance.close();
    await cycle;
    assert.equal(store.has('inst'), false);
  });
});
