/**
 * Many targets from a real Prometheus: file_sd lists TARGETS distinct targets of one module,
 * Prometheus probes each through /probe every few seconds (the usual relabelling), and muster's
 * heap is sampled after a full collection while it does; then the targets leave the file and
 * their collectors must be released after the module's idleTimeout. Prints one line and writes
 * results/probe-prometheus.json. `--smoke` runs 20 targets briefly. Needs `prometheus` on PATH.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@muster/testing';
import { startProbeMuster } from './muster.js';
import { writeResults } from '../results.js';

const smoke = process.argv.includes('--smoke');
const TARGETS = smoke ? 20 : 1000;
const INTERVAL_S = smoke ? 1 : 5;
const SAMPLES = smoke ? 3 : 12;

const which = spawnSync('sh', ['-c', 'command -v prometheus'], { encoding: 'utf8' }).stdout.trim();
if (which === '') {
  console.log('SKIPPED: prometheus is not installed (Debian package "prometheus")');
  process.exit(process.env.CI === 'true' ? 1 : 0);
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const heapMiB = () => {
  gc();
  return Math.round(process.memoryUsage().heapUsed / 1048576);
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const muster = await startProbeMuster({ echo: { use: './echo-plugin.js', idleTimeout: `${INTERVAL_S * 3}s`, maxTargets: TARGETS } });
const dir = mkdtempSync(join(tmpdir(), 'muster-bench-prom-'));
const targetsFile = join(dir, 'targets.json');
const writeTargets = (n: number) =>
  writeFileSync(targetsFile, JSON.stringify([{ targets: Array.from({ length: n }, (_, i) => `http://127.0.0.1:1/t${i}`), labels: { module: 'echo' } }]));
writeTargets(TARGETS);
const promPort = await freePort();
writeFileSync(
  join(dir, 'prometheus.yml'),
  `global: { scrape_interval: ${INTERVAL_S}s, scrape_timeout: ${INTERVAL_S * 800}ms }
scrape_configs:
  - job_name: probe
    metrics_path: /probe
    file_sd_configs: [{ files: ["${targetsFile}"], refresh_interval: 1s }]
    relabel_configs:
      - { source_labels: [__address__], target_label: __param_target }
      - { source_labels: [module], target_label: __param_module }
      - { source_labels: [__param_target], target_label: instance }
      - { target_label: __address__, replacement: "127.0.0.1:${muster.port}" }
`,
);
const prometheus: ChildProcess = spawn(
  which,
  [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`],
  { stdio: ['ignore', 'ignore', 'pipe'] },
);
let promLog = '';
prometheus.stderr?.on('data', (d) => {
  promLog = `${promLog}${d}`.slice(-4000);
});
const query = async (q: string): Promise<number> => {
  try {
    const res = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(q)}`);
    const json = (await res.json()) as { data: { result: { value: [number, string] }[] } };
    return Number(json.data.result[0]?.value[1] ?? Number.NaN);
  } catch {
    return Number.NaN;
  }
};

try {
  const ready = Date.now() + 120_000;
  while ((await query('count(muster_probe_success{job="probe"} == 1)')) !== TARGETS && Date.now() < ready) await sleep(500);
  const heaps: number[] = [];
  const probesBefore = muster.runtime.prober.log.totals('echo').success;
  const started = performance.now();
  for (let i = 0; i < SAMPLES; i++) {
    await sleep(INTERVAL_S * 1000);
    heaps.push(heapMiB());
  }
  const seconds = (performance.now() - started) / 1000;
  const probes = muster.runtime.prober.log.totals('echo').success - probesBefore;
  const kept = muster.runtime.prober.cache.size('echo');
  const stored = await query('count(muster_probe_success{job="probe"} == 1)');
  writeTargets(0);
  const gone = Date.now();
  while (muster.runtime.prober.cache.size('echo') > 0 && Date.now() - gone < 120_000) await sleep(250);
  const releasedAfterS = (Date.now() - gone) / 1000;
  const released = muster.runtime.prober.cache.size('echo') === 0;
  const later = heaps.slice(1);
  const flat = Math.max(...later) <= Math.min(...later) * 1.1;
  const row = {
    targets: TARGETS,
    intervalSeconds: INTERVAL_S,
    probesPerSecond: Math.round(probes / seconds),
    storedByPrometheus: stored,
    keptTargets: kept,
    heapMiB: heaps,
    heapFlat: flat,
    rssMiB: Math.round(process.memoryUsage().rss / 1048576),
    releasedAfterSeconds: releasedAfterS,
    heapAfterReleaseMiB: heapMiB(),
    pass: stored === TARGETS && kept === TARGETS && flat && released,
  };
  console.log(Object.entries(row).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('/') : String(v)}`).join('  '));
  writeResults('probe-prometheus', { smoke, row });
  if (!row.pass) console.log(`Prometheus' log:\n${promLog}`);
  if (!smoke && !row.pass) process.exitCode = 1;
} finally {
  prometheus.kill('SIGTERM');
  await muster.close();
}
