/**
 * The cost of `isolation: worker`, side by side with in-process in one run: a cycle of 100,000
 * series (collect, hand-over, commit) and the longest event-loop stall of the host thread during
 * it; and the start-up of a worker (spawn, import the plugin, create()) against an in-process
 * create(). Prints a table and writes results/isolation.json. `--smoke` runs a small size once.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createCoreContainer, type InstancePlan, Runtime } from '@muster/core';
import { silentLogger } from '@muster/sdk';
import { planOf } from '@muster/testing';
import plugin from './series-plugin.js';
import { writeResults } from '../results.js';

const smoke = process.argv.includes('--smoke');
const SERIES = smoke ? 2_000 : 100_000;
const ROUNDS = smoke ? 1 : 7;
const STARTS = smoke ? 1 : 9;
const PLUGIN_URL = new URL('./series-plugin.js', import.meta.url).href;

function planOfSide(name: string, isolation: 'in-process' | 'worker', gauges: number): InstancePlan {
  return planOf(plugin, { gauges }, { name, isolation, pluginUrl: PLUGIN_URL, workerMemoryMb: 512, timeout: '60s', onFailure: 'keep', maxSeries: 10_000_000 });
}

function runtimeOf(instances: InstancePlan[]): Runtime {
  const container = createCoreContainer({
    logger: silentLogger,
    build: { version: 'bench' },
    plugins: { builtins: {}, hostUrls: [] },
  });
  const runtime = container.resolve(Runtime);
  runtime.load({ filepath: '(bench)', server: { host: '127.0.0.1', port: 0, metricsPath: '/metrics', requestTimeoutMs: 60_000 }, instances, secrets: new Set() });
  return runtime;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Median cycle time and worst host stall over {@link ROUNDS} cycles after a first (warm-up) one. */
async function cycles(isolation: 'in-process' | 'worker'): Promise<{ cycleMs: number; stallMs: number; hostCpuMs: number }> {
  const runtime = runtimeOf([planOfSide(`c-${isolation}`, isolation, SERIES)]);
  await runtime.runOnce();
  const times: number[] = [];
  const stalls: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const cpuBefore = process.threadCpuUsage();
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const t = performance.now();
    await runtime.runOnce();
    times.push(performance.now() - t);
    const used = process.threadCpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / 1000);
    delay.disable();
    stalls.push(delay.max / 1e6);
    const health = runtime.instances[0]?.health;
    if (health?.up !== true || health.series !== SERIES) throw new Error(`${isolation}: the cycle failed (${health?.reason}: ${health?.lastError})`);
  }
  await runtime.stop();
  return { cycleMs: median(times), stallMs: Math.max(...stalls), hostCpuMs: median(cpu) };
}

/** Median time of a first cycle of a one-series instance: the collector's creation plus a tiny cycle. */
async function startup(isolation: 'in-process' | 'worker'): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < STARTS; r++) {
    const runtime = runtimeOf([planOfSide(`s-${isolation}-${r}`, isolation, 1)]);
    const t = performance.now();
    await runtime.runOnce();
    times.push(performance.now() - t);
    if (runtime.instances[0]?.health.up !== true) throw new Error(`${isolation}: the first cycle failed`);
    await runtime.stop();
  }
  return median(times);
}

/**
 * What attributing a rejection to the code that *created* its promise would cost (a
 * `v8.promiseHooks.onInit` hook tagging every promise with the current instance), against no hook:
 * `AWAITS` awaits inside an instance's async context. muster does not install it (see plugins.md).
 */
async function promiseHookCost(): Promise<{ hooked: number; plain: number }> {
  const { AsyncLocalStorage } = await import('node:async_hooks');
  const { promiseHooks } = await import('node:v8');
  const als = new AsyncLocalStorage<{ name: string }>();
  const OWNER = Symbol('owner');
  const awaits = smoke ? 10_000 : 2_000_000;
  const work = async () => {
    let sum = 0;
    for (let i = 0; i < awaits; i++) sum += await Promise.resolve(i);
    return sum;
  };
  const time = async () => {
    const t = performance.now();
    await als.run({ name: 'bench' }, work);
    return performance.now() - t;
  };
  await time();
  const plain: number[] = [];
  const hooked: number[] = [];
  for (let r = 0; r < 3; r++) {
    plain.push(await time());
    const stop = promiseHooks.onInit((promise) => {
      const owner = als.getStore();
      if (owner !== undefined) (promise as unknown as Record<symbol, unknown>)[OWNER] = owner;
    });
    hooked.push(await time());
    stop();
  }
  return { hooked: median(hooked), plain: median(plain) };
}

const inProcess = await cycles('in-process');
const worker = await cycles('worker');
const startIn = await startup('in-process');
const startWorker = await startup('worker');
const hook = await promiseHookCost();
const rows = [
  { target: `cycle of ${SERIES.toLocaleString('en')} series (collect + hand-over + commit), median of ${ROUNDS}`, worker: worker.cycleMs, inProcess: inProcess.cycleMs },
  { target: 'CPU time of the host (main) thread per cycle, median', worker: worker.hostCpuMs, inProcess: inProcess.hostCpuMs },
  { target: 'longest host event-loop stall during those cycles (wall clock: includes time the OS gave other work)', worker: worker.stallMs, inProcess: inProcess.stallMs },
  { target: `first cycle of a fresh instance (start-up + a 1-series cycle), median of ${STARTS}`, worker: startWorker, inProcess: startIn },
];
console.log('| target | worker | in-process | ratio |');
const hookRow = { target: `${smoke ? '10,000' : '2,000,000'} awaits in an instance's context: with a promiseHooks.onInit tag per promise / without`, worker: hook.hooked, inProcess: hook.plain };
console.log('| --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.target} | ${r.worker.toFixed(1)} ms | ${r.inProcess.toFixed(1)} ms | ${(r.worker / r.inProcess).toFixed(2)} |`);
console.log(`\n${hookRow.target}: ${hookRow.worker.toFixed(0)} ms / ${hookRow.inProcess.toFixed(0)} ms = ${(hookRow.worker / hookRow.inProcess).toFixed(2)}`);
rows.push(hookRow);
writeResults('isolation', { smoke, series: SERIES, rows });
