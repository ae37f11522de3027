/**
 * Child processes of the performance benchmark, so that memory and CPU are each side's own:
 *   node child.js memory-muster <series>     RSS holding the series in muster (after a scrape)
 *   node child.js memory-prom <series>       the same series in a plain prom-client registry
 *   node child.js schedule <instances> <seconds>
 *   node child.js scrape-loop <url> <seconds>
 * Each prints one JSON line.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { fetchAll } from './http.js';
import { planOf, promRegistry, seriesPlugin, startMuster, trivialPlugin } from './fixture.js';

const [mode, a, b] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc;

async function settledRss(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await sleep(50);
  }
  return process.memoryUsage().rss;
}

if (mode === 'memory-muster') {
  const series = Number(a);
  const per = Math.ceil(series / 10);
  const muster = await startMuster(Array.from({ length: 10 }, (_, i) => planOf(`i${i}`, seriesPlugin, { gauges: per, offset: i * per })));
  const t = performance.now();
  const size = await fetchAll(muster.url);
  const scrapeMs = performance.now() - t;
  const t2 = performance.now();
  await fetchAll(muster.url);
  const secondMs = performance.now() - t2;
  console.log(JSON.stringify({ rss: await settledRss(), scrapeMs, secondMs, size }));
  await muster.close();
} else if (mode === 'memory-prom') {
  const series = Number(a);
  const registry = promRegistry(10, Math.ceil(series / 10), 0);
  const t = performance.now();
  const text = await registry.metrics();
  console.log(JSON.stringify({ rss: await settledRss(), scrapeMs: performance.now() - t, size: text.length }));
} else if (mode === 'schedule') {
  const instances = Number(a);
  const seconds = Number(b);
  const starts = new Map<string, number[]>();
  (globalThis as { __starts?: Map<string, number[]> }).__starts = starts;
  const plans = Array.from({ length: instances }, (_, i) => planOf(`t${i}`, trivialPlugin, {}, '1s', '900ms'));
  const muster = await startMuster(plans);
  // The cycles of start-up (runOnce) are not on the schedule: count from the first scheduled one.
  starts.clear();
  muster.runtime.start();
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  await sleep(seconds * 1000);
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - wall0;
  // Fixed rate: the k-th start is due k seconds after the instance's first due time. That due
  // time is estimated by the best-aligned start (the earliest t_k - k s), so a late first start
  // does not hide later lateness.
  const lags: number[] = [];
  for (const list of starts.values()) {
    const anchor = Math.min(...list.map((t, k) => t - k * 1000));
    list.forEach((t, k) => {
      lags.push(t - (anchor + k * 1000));
    });
  }
  lags.sort((x, y) => x - y);
  const p99 = lags[Math.floor(lags.length * 0.99)] ?? Number.NaN;
  console.log(JSON.stringify({ p99, max: lags[lags.length - 1], samples: lags.length, cpuShare: (cpu.user + cpu.system) / 1000 / wall }));
  await muster.close();
} else if (mode === 'scrape-loop') {
  const url = a as string;
  const until = performance.now() + Number(b) * 1000;
  let scrapes = 0;
  let bad = 0;
  while (performance.now() < until) {
    try {
      await fetchAll(url);
      scrapes++;
    } catch {
      bad++;
    }
  }
  console.log(JSON.stringify({ scrapes, bad }));
} else {
  throw new Error(`unknown mode ${mode}`);
}
process.exit(0);
