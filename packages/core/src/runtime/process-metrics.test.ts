import 'reflect-metadata';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { silentLogger } from '@muster/sdk';
import { createCoreContainer } from '../container.js';
import { Runtime } from './runtime.js';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { FamilyRegistry } from '../metrics/families.js';
import { InstanceMetrics } from '../metrics/instance-metrics.js';
import type { FamilySnapshot } from '../metrics/types.js';
import { ProcessMetrics } from './process-metrics.js';

/** The families prom-client's default metrics export on Linux (minus its three gauges named `_total`). */
const PROM_CLIENT_DEFAULTS = [
  'process_cpu_user_seconds_total',
  'process_cpu_system_seconds_total',
  'process_cpu_seconds_total',
  'process_start_time_seconds',
  'process_resident_memory_bytes',
  'process_virtual_memory_bytes',
  'process_heap_bytes',
  'process_open_fds',
  'process_max_fds',
  'nodejs_eventloop_lag_seconds',
  'nodejs_eventloop_lag_min_seconds',
  'nodejs_eventloop_lag_max_seconds',
  'nodejs_eventloop_lag_mean_seconds',
  'nodejs_eventloop_lag_stddev_seconds',
  'nodejs_eventloop_lag_p50_seconds',
  'nodejs_eventloop_lag_p90_seconds',
  'nodejs_eventloop_lag_p99_seconds',
  'nodejs_active_resources',
  'nodejs_active_handles',
  'nodejs_heap_size_total_bytes',
  'nodejs_heap_size_used_bytes',
  'nodejs_external_memory_bytes',
  'nodejs_heap_space_size_total_bytes',
  'nodejs_heap_space_size_used_bytes',
  'nodejs_heap_space_size_available_bytes',
  'nodejs_version_info',
  'nodejs_gc_duration_seconds',
];

function setUp() {
  const m = new InstanceMetrics({ instance: 'muster', plugin: 'muster', families: new FamilyRegistry(), reservedLabels: new Set(), system: true });
  const metrics = new ProcessMetrics(m);
  const render = async () => {
    m.beginCycle();
    metrics.write();
    return m.snapshot();
  };
  return { metrics, render };
}

function value(families: FamilySnapshot[], name: string, labels: Record<string, string> = {}): number {
  const family = families.find((f) => f.name === name || (f.kind === 'histogram' && name.startsWith(f.name)));
  const sample = family?.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  assert.ok(sample !== undefined, `no sample ${name} ${JSON.stringify(labels)}`);
  return sample.value;
}

describe('ProcessMetrics', () => {
  it("exports prom-client's default families with their types, and values read from the process", async () => {
    const { metrics, render } = setUp();
    try {
      // A GC to count: allocate until one is observed (the observer hears of it a moment later).
      let families = await render();
      while (!families.some((f) => f.name === 'nodejs_gc_duration_seconds')) {
        let keep: unknown[] = [];
        for (let i = 0; i < 100_000; i++) keep.push({ i });
        keep = [];
        await sleep(keep.length + 10);
        families = await render();
      }
      const names = families.map((f) => f.name);
      for (const name of PROM_CLIENT_DEFAULTS) assert.ok(names.includes(name), `missing ${name}`);
      assert.equal(families.find((f) => f.name === 'process_cpu_seconds_total')?.kind, 'counter');
      assert.equal(families.find((f) => f.name === 'nodejs_gc_duration_seconds')?.kind, 'histogram');
      assert.equal(families.find((f) => f.name === 'nodejs_heap_size_used_bytes')?.kind, 'gauge');
      const rss = value(families, 'process_resident_memory_bytes');
      const measured = process.memoryUsage().rss;
      assert.ok(rss > measured / 2 && rss < measured * 2, `rss ${rss} vs ${measured}`);
      assert.equal(value(families, 'process_start_time_seconds'), Math.round(Date.now() / 1000 - process.uptime()));
      assert.equal(value(families, 'nodejs_version_info', { version: process.version, major: process.versions.node.split('.')[0] as string }), 1);
      const gcCounts = families.find((f) => f.name === 'nodejs_gc_duration_seconds')?.samples.filter((x) => x.name === 'nodejs_gc_duration_seconds_count');
      assert.ok((gcCounts ?? []).reduce((n, x) => n + x.value, 0) >= 1);
      assert.ok((gcCounts ?? []).every((x) => ['major', 'minor', 'incremental', 'weakcb'].includes(x.labels.kind as string)));
      assert.ok(value(families, 'process_open_fds') > 0);
      // The CPU counters hold the process's whole CPU time and add what it spends between renders.
      const cpu = value(families, 'process_cpu_seconds_total');
      const used = process.cpuUsage();
      assert.ok(cpu > 0 && cpu <= (used.user + used.system) / 1e6 + 1e-9);
      // Burn 20 ms of CPU (counted by the process's own clock, not by wall time a busy machine stretches).
      const before = process.cpuUsage();
      while (process.cpuUsage(before).user + process.cpuUsage(before).system < 20_000) {
        // burn
      }
      const later = await render();
      assert.ok(value(later, 'process_cpu_seconds_total') >= cpu + 0.02);
      assert.ok(
        Math.abs(value(later, 'process_cpu_seconds_total') - value(later, 'process_cpu_user_seconds_total') - value(later, 'process_cpu_system_seconds_total')) < 1e-6,
      );
    } finally {
      metrics.stop();
    }
  });

  it('states the event-loop delay sampled while work held it, and 0 when nothing did', async () => {
    const { metrics, render } = setUp();
    try {
      const idle = await render();
      assert.equal(value(idle, 'nodejs_eventloop_lag_max_seconds'), 0);
      await metrics.loopDelay.around(
        (async () => {
          await sleep(20);
          const end = performance.now() + 50;
          while (performance.now() < end) {
            // a stall
          }
          await sleep(20);
        })(),
      );
      while (metrics.loopDelay.sampling) await sleep(5);
      const busy = await render();
      assert.ok(value(busy, 'nodejs_eventloop_lag_max_seconds') >= 0.05);
      assert.ok(value(busy, 'nodejs_eventloop_lag_p50_seconds') > 0);
      // The lag of one turn of the loop, measured at a render, is stated at the next one.
      await sleep(5);
      assert.ok(value(await render(), 'nodejs_eventloop_lag_seconds') > 0);
    } finally {
      metrics.stop();
    }
  });

  it("declares each of prom-client 15's default families with its help, type and label names, but its gauges named _total", async () => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const theirs = new Map(
      (await registry.getMetricsAsJSON()).map((f) => [
        f.name,
        { help: f.help, kind: String(f.type), labelNames: [...((registry.getSingleMetric(f.name) as { labelNames?: string[] }).labelNames ?? [])].sort() },
      ]),
    );
    const m = new InstanceMetrics({ instance: 'muster', plugin: 'muster', families: new FamilyRegistry(), reservedLabels: new Set(), system: true });
    const metrics = new ProcessMetrics(m);
    metrics.stop();
    const ours = new Map(m.definitions().map((d) => [d.name, { help: d.help, kind: d.kind, labelNames: [...d.labelNames].sort() }]));
    // muster's names end in _total for counters only: these three gauges of prom-client are left out.
    const leftOut = [...theirs.keys()].filter((name) => !ours.has(name)).sort();
    assert.deepEqual(leftOut, ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']);
    assert.deepEqual([...ours.keys()].filter((name) => !theirs.has(name)), [], 'nothing prom-client lacks');
    for (const [name, def] of ours) assert.deepEqual(def, theirs.get(name), name);
  });

  it('stops observing garbage collections when the runtime stops, and observes again when it starts anew', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const runtime = createCoreContainer({ logger: silentLogger, build: { version: 't' }, plugins: { builtins: {}, hostUrls: [] } }).resolve(Runtime);
    const gcCount = async () => {
      const body = (await runtime.exposition('text')).body;
      return [...body.matchAll(/^nodejs_gc_duration_seconds_count\{[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
    };
    // The observer hears of a collection a moment after it; muster's own metrics are re-rendered after 1 s.
    const collect = async () => {
      gc();
      await sleep(1100);
    };
    runtime.start();
    const before = await gcCount();
    await collect();
    assert.ok((await gcCount()) > before, 'a collection is counted while the runtime runs');
    await runtime.stop();
    const stopped = await gcCount();
    await collect();
    assert.equal(await gcCount(), stopped, 'nothing observes collections of a stopped runtime');
    runtime.start();
    await collect();
    assert.ok((await gcCount()) > stopped, 'a restarted runtime counts collections again');
    await runtime.stop();
  });

  it('states CPU seconds, resident memory, open descriptors and start time as /proc tells them', async (t) => {
    if (!existsSync('/proc/self/stat')) return t.skip('SKIPPED: needs /proc (Linux)');
    const ticks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
    const { metrics, render } = setUp();
    try {
      const families = await render();
      // Fields after the command name: state is field 3, utime 14, stime 15, starttime 22.
      const stat = readFileSync('/proc/self/stat', 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cpu = (Number(fields[11]) + Number(fields[12])) / ticks;
      assert.ok(Math.abs(value(families, 'process_cpu_seconds_total') - cpu) < 0.1 + 2 / ticks, `cpu ${value(families, 'process_cpu_seconds_total')} vs /proc ${cpu}`);
      const vmRss = Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) * 1024;
      const rss = value(families, 'process_resident_memory_bytes');
      assert.ok(Math.abs(rss - vmRss) < vmRss * 0.2, `rss ${rss} vs VmRSS ${vmRss}`);
      const fds = readdirSync('/proc/self/fd').length - 1;
      assert.ok(Math.abs(value(families, 'process_open_fds') - fds) <= 2, `fds ${value(families, 'process_open_fds')} vs ${fds}`);
      const boot = Number(/^btime (\d+)/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
      const started = boot + Number(fields[19]) / ticks;
      assert.ok(Math.abs(value(families, 'process_start_time_seconds') - started) < 2, `start ${value(families, 'process_start_time_seconds')} vs /proc ${started}`);
    } finally {
      metrics.stop();
    }
  });
});
