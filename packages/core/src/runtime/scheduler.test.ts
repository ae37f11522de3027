import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { API_VERSION, definePlugin, silentLogger, z } from '@muster/sdk';
import type { InstancePlan } from '../config/plan.js';
import { parseSchedule } from '../config/schedule.js';
import { FamilyRegistry } from '../metrics/families.js';
import { MetricStore } from '../metrics/exposition/store.js';
import { Instance } from './instance.js';
import { runCycle } from './cycle.js';
import { firstRunAt, phaseMs } from './phase.js';
import { Scheduler } from './scheduler.js';

const silent = silentLogger;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Counts collect() calls, how many overlap, and when each started. */
class Probe {
  active = 0;
  maxActive = 0;
  readonly starts: number[] = [];

  constructor(
    readonly workMs: number,
    readonly honourSignal = true,
  ) {}

  async collect(signal: AbortSignal): Promise<void> {
    this.starts.push(Date.now());
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, this.workMs);
        if (this.honourSignal) {
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(signal.reason);
          });
        }
      });
    } finally {
      this.active--;
    }
  }
}

function makeInstance(name: string, scheduleText: string, timeoutMs: number, probe: Probe, jitterMs = 0, align = true): Instance {
  const schedule = parseSchedule(scheduleText);
  if (typeof schedule === 'string') throw new Error(schedule);
  const plugin = definePlugin({
    name: 'scheduler-test',
    apiVersion: API_VERSION,
    configSchema: z.object({}),
    create: () => ({ collect: (signal: AbortSignal) => probe.collect(signal) }),
  });
  const plan: InstancePlan = {
    name,
    use: 'scheduler-test',
    plugin,
    schedule,
    timeoutMs,
    jitterMs,
    align,
    labels: {},
    onFailure: 'drop',
    maxSeries: 100,
    config: {},
    fingerprint: name,
  };
  return new Instance(plan, { families: new FamilyRegistry(), logger: silent, userAgent: 'muster/test' });
}

/** Runs `instances` on a scheduler for `ms`, stops it, and waits for cycles in flight. */
async function runFor(ms: number, ...instances: Instance[]): Promise<void> {
  const store = new MetricStore();
  const scheduler = new Scheduler();
  scheduler.start(instances, (instance) => runCycle(instance, store));
  await sleep(ms);
  scheduler.stop();
  await Promise.all(instances.map((i) => i.running));
  await Promise.all(instances.map((i) => i.close()));
}

/** Waits until `done()` (polled every 20 ms); a hang guard of 60 s, not a bound on timing. */
async function until(done: () => boolean): Promise<boolean> {
  for (let waited = 0; !done(); waited += 20) {
    if (waited > 60_000) return false;
    await sleep(20);
  }
  return true;
}

/**
 * Runs `instances` until `done()`, then stops the scheduler and waits for running cycles.
 * Judges behaviour, not timing: on a busy machine timers fire late, never early.
 */
async function runUntil(done: () => boolean, ...instances: Instance[]): Promise<void> {
  const store = new MetricStore();
  const scheduler = new Scheduler();
  try {
    scheduler.start(instances, (instance) => runCycle(instance, store));
    assert.ok(await until(done), 'the awaited runs came');
  } finally {
    scheduler.stop();
    await Promise.all(instances.map((i) => i.running));
    await Promise.all(instances.map((i) => i.close()));
  }
}

// The tests only wait on timers; running them side by side keeps the file short.
describe('Scheduler', { concurrency: true }, () => {
  it('never runs two cycles of an instance at once when a cycle outlasts the interval, and counts skipped runs', async () => {
    const probe = new Probe(250);
    // A hand-made plan may have a timeout longer than its interval: the scheduler must cope.
    const instance = makeInstance('slow', '100ms', 1_000, probe);
    await runUntil(() => probe.starts.length >= 3, instance);
    assert.equal(probe.maxActive, 1);
    assert.ok(instance.health.runs.skipped > 0, `skipped ${instance.health.runs.skipped}`);
    assert.equal(instance.health.runs.success, probe.starts.length);
    for (let i = 1; i < probe.starts.length; i++) {
      const gap = (probe.starts[i] as number) - (probe.starts[i - 1] as number);
      assert.ok(gap >= 240, `cycle ${i} started ${gap} ms after the previous one`);
    }
  });

  it('never runs a second collect() beside one that ignores its deadline', async () => {
    const probe = new Probe(250, false);
    const instance = makeInstance('stubborn', '100ms', 100, probe);
    // Each collect() times out; a run due while it still runs past its deadline fails at once.
    const reasonsOf = () => new Set(instance.history.entries().map((e) => e.reason));
    await runUntil(() => probe.starts.length >= 2 && reasonsOf().has('timeout') && reasonsOf().has('overrun'), instance);
    assert.equal(probe.maxActive, 1);
    assert.ok(instance.health.runs.failure > 0);
    const reasons = reasonsOf();
    assert.ok(reasons.has('timeout'), [...reasons].join(', '));
    assert.ok(reasons.has('overrun'), [...reasons].join(', '));
  });

  it('runs an interval at a fixed rate', async () => {
    const probe = new Probe(5);
    const instance = makeInstance('steady', '100ms', 100, probe);
    // align: true, so the first run is due at start; record that due time.
    let firstDue: number | undefined;
    await runUntil(() => {
      firstDue ??= instance.health.nextRunAt;
      return probe.starts.length >= 6;
    }, instance);
    assert.equal(probe.maxActive, 1);
    // Every run is due on the grid of the first one (due + k × 100 ms), however late a timer
    // fired: the rate does not drift with the cycles' end times.
    const next = instance.health.nextRunAt ?? 0;
    assert.equal((next - (firstDue ?? 0)) % 100, 0, `next run due ${next - (firstDue ?? 0)} ms after the first`);
  });

  it('fires a 6-field every-second cron expression about once per second', async () => {
    const probe = new Probe(5);
    const instance = makeInstance('cron', '* * * * * *', 500, probe);
    const dues: number[] = [];
    await runUntil(() => {
      const due = instance.health.nextRunAt;
      if (due !== undefined && dues.at(-1) !== due) dues.push(due);
      return probe.starts.length >= 3;
    }, instance);
    // One run at start, then runs due on second boundaries, at most one in each second.
    for (const due of dues.slice(1)) {
      const off = due % 1_000;
      assert.ok(off <= 20 || off >= 980, `a run due ${off} ms past a second boundary`);
    }
    const seconds = probe.starts.slice(1).map((t) => Math.floor(t / 1_000));
    for (let i = 1; i < seconds.length; i++) assert.ok((seconds[i] as number) > (seconds[i - 1] as number), `two runs in one second: ${probe.starts.join(', ')}`);
  });

  it('stops running instances after stop()', async () => {
    const probe = new Probe(5);
    const instance = makeInstance('stopped', '100ms', 100, probe);
    const scheduler = new Scheduler();
    scheduler.start([instance], (i) => runCycle(i, new MetricStore()));
    const ran = await until(() => probe.starts.length >= 2);
    scheduler.stop();
    const runs = probe.starts.length;
    assert.ok(ran, `${runs} cycles before stop`);
    await sleep(300);
    assert.equal(probe.starts.length, runs);
    await instance.close();
  });

  it('stop(instance) stops only that instance', async () => {
    const stoppedProbe = new Probe(5);
    const goingProbe = new Probe(5);
    const stopped = makeInstance('one', '100ms', 100, stoppedProbe);
    const going = makeInstance('two', '100ms', 100, goingProbe);
    const scheduler = new Scheduler();
    scheduler.start([stopped, going], (i) => runCycle(i, new MetricStore()));
    await until(() => stoppedProbe.starts.length >= 1 && goingProbe.starts.length >= 1);
    scheduler.stop(stopped);
    const stoppedRuns = stoppedProbe.starts.length;
    const goingRuns = goingProbe.starts.length;
    // Two more runs of the other one: intervals in which the stopped one would have run too.
    const wentOn = await until(() => goingProbe.starts.length >= goingRuns + 2);
    await sleep(150);
    scheduler.stop();
    assert.equal(stoppedProbe.starts.length, stoppedRuns);
    assert.ok(wentOn, `the other instance ran ${goingProbe.starts.length - goingRuns} more times`);
    await Promise.all([stopped.close(), going.close()]);
  });

  it('stop(instance) of instances due together (one wake-up) stops only those, down to the last one', async () => {
    const probes = [new Probe(5), new Probe(5), new Probe(5)];
    const instances = probes.map((probe, i) => makeInstance(`together-${i}`, '100ms', 100, probe));
    const scheduler = new Scheduler();
    // Aligned: all three are due at start, then every 100 ms from the same moment.
    scheduler.start(instances, (i) => runCycle(i, new MetricStore()));
    try {
      await until(() => probes.every((p) => p.starts.length >= 1));
      for (const stopped of [1, 0]) {
        scheduler.stop(instances[stopped]);
        const before = probes.map((p) => p.starts.length);
        const last = probes[2] as Probe;
        assert.ok(await until(() => last.starts.length >= (before[2] as number) + 2), 'the last one goes on');
        await sleep(150);
        assert.equal(probes[stopped]?.starts.length, before[stopped], `instance ${stopped} stopped`);
      }
      scheduler.stop(instances[2]);
      const runs = probes[2]?.starts.length;
      await sleep(300);
      assert.equal(probes[2]?.starts.length, runs, 'the last one of its wake-up stopped too');
    } finally {
      scheduler.stop();
      await Promise.all(instances.map((i) => i.running));
      await Promise.all(instances.map((i) => i.close()));
    }
  });

  it('leaves on-scrape instances to the scrape', async () => {
    const probe = new Probe(5);
    const instance = makeInstance('scrape', 'on-scrape', 100, probe);
    await runFor(200, instance);
    assert.equal(probe.starts.length, 0);
    assert.equal(instance.health.settled, false);
  });

  it('waits out a schedule longer than setTimeout can wait (60d, a yearly cron) instead of running over and over', async () => {
    const interval = new Probe(1);
    const yearly = new Probe(1);
    const spread = new Probe(1);
    const instances = [
      makeInstance('every-60d', '60d', 100, interval),
      makeInstance('yearly', '0 0 1 1 *', 100, yearly),
      makeInstance('spread-60d', '60d', 100, spread, 0, false),
    ];
    await runFor(300, ...instances);
    assert.equal(interval.starts.length, 1, 'an aligned 60d interval runs once at start, then waits 60 days');
    assert.equal(yearly.starts.length, 1, 'a yearly cron runs once at start, then waits for New Year');
    const wait = firstRunAt('spread-60d', 60 * 86_400_000, Date.now()) - Date.now();
    if (wait > 1_000) assert.equal(spread.starts.length, 0, `a spread 60d interval waits for its phase (${Math.round(wait / 86_400_000)} days)`);
  });

  it('records when the next run is due (align: true runs at start)', async () => {
    const probe = new Probe(5);
    const instance = makeInstance('next', '1h', 100, probe);
    const scheduler = new Scheduler();
    scheduler.start([instance], (i) => runCycle(i, new MetricStore()));
    await sleep(50);
    scheduler.stop();
    assert.equal(probe.starts.length, 1, 'an interval instance runs once at start');
    const next = instance.health.nextRunAt ?? 0;
    assert.ok(Math.abs(next - (Date.now() + 3_600_000)) < 1_000, `next run at ${new Date(next).toISOString()}`);
    await instance.close();
  });

  it('by default, starts each interval instance at the phase its name hashes to, within one interval', async () => {
    const probes = Array.from({ length: 20 }, () => new Probe(1));
    const instances = probes.map((p, i) => makeInstance(`spread-${i}`, '1s', 500, p, 0, false));
    const started = Date.now();
    const scheduler = new Scheduler();
    try {
      scheduler.start(instances, (i) => runCycle(i, new MetricStore()));
      const armed = Date.now();
      for (const instance of instances) {
        const next = instance.health.nextRunAt ?? 0;
        assert.ok(next >= started && next < armed + 1_000, `first run of ${instance.name} due within the interval`);
        // At its phase; a phase that fell in the milliseconds start() itself took runs at once.
        const late = (((next % 1_000) - phaseMs(instance.name, 1_000)) % 1_000 + 1_000) % 1_000;
        assert.ok(late <= armed - started, `${instance.name} is due at its own phase (${late} ms after it)`);
      }
      await sleep(1_100);
    } finally {
      scheduler.stop();
      await Promise.all(instances.map((i) => i.running));
      await Promise.all(instances.map((i) => i.close()));
    }
    // Each ran, never before its phase; phases (and so starts) differ from one instance to the next.
    for (const [i, p] of probes.entries()) {
      const due = instances[i]?.health.nextRunAt;
      assert.ok(p.starts.length >= 1, `${instances[i]?.name} ran`);
      assert.ok((p.starts[0] as number) >= firstRunAt(`spread-${i}`, 1_000, started) - 1, `not before its phase (next due ${due})`);
    }
    const phases = instances.map((i) => phaseMs(i.name, 1_000));
    const tenths = new Set(phases.map((ms) => Math.floor(ms / 100)));
    assert.ok(tenths.size >= 6, `20 phases fall in ${tenths.size} tenths of the interval`);
  });

  it('spreads first runs over the jitter, and keeps each instance at a fixed rate after it', async () => {
    const probes = Array.from({ length: 12 }, () => new Probe(1));
    const instances = probes.map((p, i) => makeInstance(`j${i}`, '500ms', 400, p, 300));
    const store = new MetricStore();
    const scheduler = new Scheduler();
    const started = Date.now();
    try {
      scheduler.start(instances, (i) => runCycle(i, store));
      const armed = Date.now();
      // Judged on when runs are due, not on when a busy machine's timers fired.
      const planned = instances.map((i) => (i.health.nextRunAt ?? 0) - started);
      // Twelve random offsets in [0, 300 ms): not all the same, none past the jitter.
      assert.ok(planned.every((t) => t >= 0 && t < 300 + (armed - started)), `first runs due at ${planned.join(', ')} ms`);
      assert.ok(Math.max(...planned) - Math.min(...planned) > 20, `first runs spread: ${planned.join(', ')} ms`);
      for (let waited = 0; probes.some((p) => p.starts.length < 3) && waited < 60_000; waited += 50) await sleep(50);
      for (const [k, p] of probes.entries()) {
        assert.ok(p.starts.length >= 3, `${instances[k]?.name} ran ${p.starts.length} times`);
        assert.ok((p.starts[0] as number) >= started + (planned[k] as number) - 1, `${instances[k]?.name} ran no earlier than due`);
        // Fixed rate: every later run is due a whole number of intervals after the start, plus a
        // jitter of its own below 300 ms, however late the previous one ran.
        const next = (instances[k]?.health.nextRunAt ?? 0) - started;
        assert.ok(next % 500 < 300 + (armed - started), `${instances[k]?.name} next due at ${next} ms`);
      }
    } finally {
      scheduler.stop();
      await Promise.all(instances.map((i) => i.running));
      await Promise.all(instances.map((i) => i.close()));
    }
  });
});

describe('Scheduler across a reload', () => {
  it('a changed instance takes over a run that was due but still waiting for its jitter: none lost, none doubled', async () => {
    const everyMs = 10_000;
    const name = 'reloaded';
    const due = firstRunAt(name, everyMs, 1_000_000);
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
    mock.method(Math, 'random', () => 0.99);
    const runs: [string, number][] = [];
    const old = makeInstance(name, '10s', 1_000, new Probe(1), 9_000, false);
    const changed = makeInstance(name, '10s', 1_000, new Probe(1), 9_000, false);
    const scheduler = new Scheduler();
    const run = (i: Instance) => {
      runs.push([i === old ? 'old' : 'changed', Date.now()]);
      return Promise.resolve();
    };
    try {
      scheduler.start([old], run);
      assert.ok((old.health.nextRunAt ?? 0) > due + 1, 'the first run waits for its jitter');
      mock.timers.tick(due + 1 - Date.now());
      // A reload: the old instance is stopped while its run waits for the jitter; the new one starts.
      scheduler.stop(old);
      scheduler.start([changed], run);
      mock.timers.tick(due + everyMs - 1 - Date.now());
      await new Promise((resolve) => setImmediate(resolve)); // the cycle's end is a promise
      assert.deepEqual(runs.map(([who]) => who), ['changed'], `runs until the next period: ${JSON.stringify(runs)}`);
      mock.timers.tick(everyMs);
      assert.deepEqual(runs.map(([who]) => who), ['changed', 'changed'], 'then one per interval');
    } finally {
      scheduler.stop();
      mock.restoreAll();
      mock.timers.reset();
      await Promise.all([old.close(), changed.close()]);
    }
  });
});
