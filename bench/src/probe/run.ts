/**
 * `/probe` overhead: the same plugin's cycle run directly (its collector's `collect()`, nothing
 * of muster's) and through `GET /probe?module=M&target=T` of muster's runtime and HTTP server on
 * loopback, interleaved in one run. Two plugins: one whose cycle does no I/O (what /probe itself
 * costs) and http-health against a loopback server. Then 1,000 distinct targets probed in rounds:
 * memory, kept collectors, and their release when idle. Prints a table and writes
 * results/probe.json. `--smoke` runs a small size.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import httpHealth from '@muster/plugin-http-health';
import echo from './echo-plugin.js';
import { directCollector } from './direct.js';
import { startProbeMuster } from './muster.js';
import { fetchAll } from '../perf/http.js';
import { writeResults } from '../results.js';

const smoke = process.argv.includes('--smoke');
const ROUNDS = smoke ? 50 : 2000;
const TARGETS = smoke ? 50 : 1000;

const backend = createServer((_req, res) => res.end('ok'));
await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
const backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}/health`;

const muster = await startProbeMuster({ echo: { use: './echo-plugin.js', idleTimeout: '2s' }, web: { use: 'http-health' } });
const { runtime, base } = muster;

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] as number;

/** p50 and p99 of `direct` and `probe`, measured alternately so both see the same machine. */
async function sideBySide(direct: () => Promise<unknown>, probe: () => Promise<unknown>) {
  for (let i = 0; i < Math.min(100, ROUNDS); i++) {
    await direct();
    await probe();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    let t = performance.now();
    await direct();
    a.push(performance.now() - t);
    t = performance.now();
    await probe();
    b.push(performance.now() - t);
  }
  return { direct: { p50: percentile(a, 0.5), p99: percentile(a, 0.99) }, probe: { p50: percentile(b, 0.5), p99: percentile(b, 0.99) } };
}

const signal = new AbortController().signal;
const rows: Record<string, unknown>[] = [];
for (const [name, plugin, module, target] of [
  ['no-I/O plugin', echo, 'echo', 'http://127.0.0.1:1/echo'],
  ['http-health, loopback server', httpHealth, 'web', backendUrl],
] as const) {
  const collector = await directCollector(plugin, { url: target });
  const url = `${base}/probe?module=${module}&target=${encodeURIComponent(target)}`;
  const m = await sideBySide(
    async () => collector.collect(signal),
    () => fetchAll(url, { 'x-prometheus-scrape-timeout-seconds': '10' }),
  );
  await collector.close?.();
  const overhead = m.probe.p50 - m.direct.p50;
  rows.push({ case: name, directP50: m.direct.p50, probeP50: m.probe.p50, probeP99: m.probe.p99, overheadP50: overhead, ratio: m.probe.p50 / m.direct.p50, pass: overhead < 2 });
}

// 1,000 distinct targets probed in rounds: memory levels off, one collector per target, released when idle.
const rss = () => process.memoryUsage().rss;
const heapAfterGc = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
};
const heaps: number[] = [];
for (let round = 0; round < 5; round++) {
  for (let i = 0; i < TARGETS; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, TARGETS - i) }, (_, k) => fetchAll(`${base}/probe?module=echo&target=${encodeURIComponent(`http://127.0.0.1:1/t${i + k}`)}`)),
    );
  }
  heaps.push(heapAfterGc());
}
const kept = runtime.prober.cache.size('echo');
const until = Date.now() + 30_000;
while (runtime.prober.cache.size('echo') > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
const released = runtime.prober.cache.size('echo') === 0;
const heapReleased = heapAfterGc();
rows.push({
  case: `${TARGETS} targets x 5 rounds`,
  keptTargets: kept,
  heapRoundsMiB: heaps.map((h) => Math.round(h / 1048576)),
  rssMiB: Math.round(rss() / 1048576),
  releasedWhenIdle: released,
  heapAfterReleaseMiB: Math.round(heapReleased / 1048576),
  pass: kept >= TARGETS && released && (heaps.at(-1) as number) <= (heaps[1] as number) * 1.1,
});

await muster.close();
backend.close();

const f = (n: unknown) => (typeof n === 'number' ? n.toFixed(3) : String(n));
for (const row of rows) console.log(Object.entries(row).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('/') : f(v)}`).join('  '));
writeResults('probe', { smoke, rounds: ROUNDS, rows });
if (!smoke && rows.some((r) => r.pass === false)) process.exitCode = 1;
