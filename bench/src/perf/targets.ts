import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { promisify } from 'node:util';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzip } from 'node:zlib';
import { fetchAll } from './http.js';
import { medianMs, planOf, promRegistry, seriesPlugin, startMuster } from './fixture.js';
import { mib, ms, type Row } from './row.js';

const run = promisify(execFile);
const gzipAsync = promisify(gzip);
const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));

async function child(args: string[], nodeArgs: string[] = []): Promise<Record<string, number>> {
  const { stdout } = await run(process.execPath, [...nodeArgs, CHILD, ...args], { maxBuffer: 1 << 20, timeout: 600_000 });
  return JSON.parse(stdout.trim().split('\n').pop() as string) as Record<string, number>;
}

/** Size of one benchmark run. */
export interface Size {
  readonly series: number;
  readonly histograms: number;
  readonly wrkSeries: number;
  readonly loopSeconds: number;
  readonly scheduleInstances: number;
  readonly scheduleSeconds: number;
  readonly bigSeries: number;
}

/** Target 1's figure, for the peers' rows. */
export let lastScrapeMs = Number.NaN;

/** Targets 1 and 3: scrape time and gzip reuse at `size.series` (+ histograms), side by side with prom-client. */
export async function scrapeAndGzip(size: Size): Promise<Row[]> {
  const per = size.series / 10;
  const plans = Array.from({ length: 10 }, (_, i) => planOf(`i${i}`, seriesPlugin, { gauges: per, histograms: i === 0 ? size.histograms : 0 }));
  const muster = await startMuster(plans);
  const registry = promRegistry(10, per, size.histograms);
  try {
    await fetchAll(muster.url);
    const ours = await medianMs(30, () => fetchAll(muster.url));
    const theirs = await medianMs(10, () => registry.metrics());
    const body = await registry.metrics();
    // Gzip: muster reuses the committed body's gzip; the baseline compresses on every request.
    await fetchAll(muster.url, { 'accept-encoding': 'gzip' });
    const oursGzip = await medianMs(30, () => fetchAll(muster.url, { 'accept-encoding': 'gzip' }));
    const baseline = createServer(async (_req, res) => {
      res.setHeader('content-encoding', 'gzip');
      res.end(await gzipAsync(body));
    });
    await new Promise<void>((resolve) => baseline.listen(0, '127.0.0.1', resolve));
    const port = (baseline.address() as { port: number }).port;
    const theirsGzip = await medianMs(10, () => fetchAll(`http://127.0.0.1:${port}/`, { 'accept-encoding': 'gzip' }));
    baseline.close();
    const ratio = ours / theirs;
    const gzRatio = oursGzip / theirsGzip;
    lastScrapeMs = ours;
    return [
      {
        target: `1. scrape, ${size.series.toLocaleString('en')} series + ${size.histograms} histograms`,
        figure: ms(ours),
        baseline: `${ms(theirs)} (prom-client metrics())`,
        ratio,
        goal: '≤ 0.10 (goal 0.05)',
        pass: ratio <= 0.1,
      },
      {
        target: '3. repeated gzip scrape',
        figure: ms(oursGzip),
        baseline: `${ms(theirsGzip)} (gzip per request)`,
        ratio: gzRatio,
        goal: '≤ 0.10',
        pass: gzRatio <= 0.1,
      },
    ];
  } finally {
    await muster.close();
  }
}

/** Target 2: event-loop delay while an instance commits `size.series` every 5 s and another process scrapes. */
export async function eventLoop(size: Size): Promise<Row> {
  const muster = await startMuster([planOf('big', seriesPlugin, { gauges: size.series }, '5s', '5s')], { schedule: true });
  const registry = promRegistry(1, size.series, 0);
  try {
    const block = await medianMs(3, () => registry.metrics());
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    const scraper = child(['scrape-loop', muster.url, String(size.loopSeconds)]);
    await sleep(size.loopSeconds * 1000);
    const { scrapes, bad } = await scraper;
    histogram.disable();
    const maxMs = histogram.max / 1e6;
    return {
      target: `2. event-loop delay, ${size.series.toLocaleString('en')} series committed every 5 s, scraped non-stop`,
      figure: `max ${ms(maxMs)} (${scrapes} scrapes, ${bad} failed)`,
      baseline: `${ms(block)} (prom-client render blocks)`,
      ratio: maxMs / block,
      goal: 'max < 50 ms',
      pass: maxMs < 50 && bad === 0,
    };
  } finally {
    await muster.close();
  }
}

/** Target 4: wrk, 8 connections for 10 s, at `size.wrkSeries` series, against node:http + prom-client. */
export async function throughput(size: Size): Promise<Row> {
  const wrk = await run('sh', ['-c', 'command -v wrk']).catch(() => undefined);
  if (wrk === undefined) {
    return { target: '4. throughput (wrk)', figure: 'not measured', baseline: '-', ratio: undefined, goal: '≥ 10×', pass: undefined, note: 'wrk is not installed (Debian package "wrk")' };
  }
  const rps = async (url: string) => {
    const { stdout } = await run('wrk', ['-t2', '-c8', '-d10s', url], { timeout: 60_000 });
    return Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? Number.NaN);
  };
  const per = size.wrkSeries / 10;
  const muster = await startMuster(Array.from({ length: 10 }, (_, i) => planOf(`i${i}`, seriesPlugin, { gauges: per })));
  let ours: number;
  try {
    ours = await rps(muster.url);
  } finally {
    await muster.close();
  }
  const registry = promRegistry(10, per, 0);
  const plain = createServer(async (_req, res) => {
    res.setHeader('content-type', registry.contentType);
    res.end(await registry.metrics());
  });
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  const theirs = await rps(`http://127.0.0.1:${(plain.address() as { port: number }).port}/`);
  plain.close();
  const ratio = ours / theirs;
  return {
    target: `4. throughput, wrk -c8 10 s, ${size.wrkSeries.toLocaleString('en')} series`,
    figure: `${ours.toFixed(0)} req/s`,
    baseline: `${theirs.toFixed(0)} req/s (node:http + prom-client)`,
    ratio,
    goal: '≥ 10×',
    pass: ratio >= 10,
  };
}

/** Target 5: RSS holding the series, muster vs prom-client (each in its own process), and the 1M-series scrape. */
export async function memory(size: Size): Promise<Row[]> {
  const gc = ['--expose-gc'];
  const ours = await child(['memory-muster', String(size.series)], gc);
  const theirs = await child(['memory-prom', String(size.series)], gc);
  const big = await child(['memory-muster', String(size.bigSeries)], ['--expose-gc', '--max-old-space-size=4096']);
  const ratio = (ours.rss as number) / (theirs.rss as number);
  return [
    {
      target: `5a. RSS with ${size.series.toLocaleString('en')} series`,
      figure: mib(ours.rss as number),
      baseline: `${mib(theirs.rss as number)} (prom-client)`,
      ratio,
      goal: '≤ 1.25',
      pass: ratio <= 1.25,
    },
    {
      target: `5b. ${size.bigSeries.toLocaleString('en')} series: first scrape, RSS`,
      figure: `${ms(big.scrapeMs as number)}, ${mib(big.rss as number)}`,
      baseline: '-',
      ratio: undefined,
      goal: '< 2 s, < 2 GiB',
      pass: (big.scrapeMs as number) < 2000 && (big.rss as number) < 2 * 1024 ** 3,
    },
  ];
}

/** Target 6: instances on a 1 s interval with trivial collectors: start lag and CPU. */
export async function scheduling(size: Size): Promise<Row> {
  const result = await child(['schedule', String(size.scheduleInstances), String(size.scheduleSeconds)]);
  const p99 = result.p99 as number;
  const cpu = (result.cpuShare as number) * 100;
  return {
    target: `6. ${size.scheduleInstances} instances every 1 s, ${size.scheduleSeconds} s`,
    figure: `p99 lag ${ms(p99)} (max ${ms(result.max as number)}, ${result.samples} starts), CPU ${cpu.toFixed(1)} %`,
    baseline: '-',
    ratio: undefined,
    goal: 'p99 < 20 ms, CPU < 15 %',
    pass: p99 < 20 && cpu < 15,
  };
}

/** Target 7: `muster start` to /readyz 200 with 10 instances that need no I/O. */
export async function startup(): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'muster-bench-'));
  const plugin = join(dir, 'noop.mjs');
  const sdk = fileURLToPath(import.meta.resolve('@muster/sdk'));
  writeFileSync(
    plugin,
    `import { API_VERSION, definePlugin, z } from ${JSON.stringify(sdk)};\nexport default definePlugin({ name: 'noop', apiVersion: API_VERSION, configSchema: z.object({}), create(ctx) { const g = ctx.metrics.gauge({ name: 'noop_value', help: 'One.' }); return { collect: () => g.set(1) }; } });\n`,
  );
  const config = join(dir, 'muster.yaml');
  writeFileSync(config, `plugins:\n${Array.from({ length: 10 }, (_, i) => `  - { name: n${i}, use: ./noop.mjs, schedule: 15s }\n`).join('')}`);
  const cli = fileURLToPath(import.meta.resolve('@muster/exporter').replace(/index\.js$/, 'cli.js'));
  const times: number[] = [];
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const started = performance.now();
    const proc = spawn(process.execPath, [cli, 'start', '--config', config, '--port', String(port), '--host', '127.0.0.1', '--log-level', 'error'], { stdio: 'ignore' });
    // Listened for at once: a process that ends early (its random port taken) is not waited for forever.
    const exited = new Promise((resolve) => proc.on('exit', resolve));
    let ready = Number.NaN;
    while (performance.now() - started < 10_000) {
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status === 200, () => false);
      if (ok) {
        ready = performance.now() - started;
        break;
      }
      await sleep(5);
    }
    if (proc.exitCode === null) proc.kill('SIGTERM');
    await exited;
    times.push(ready);
  }
  times.sort((x, y) => x - y);
  const median = times[2] as number;
  return { target: '7. start-up to /readyz 200, 10 instances', figure: ms(median), baseline: '-', ratio: undefined, goal: '< 500 ms', pass: median < 500 };
}

/** Peers on the same series as target 1: the seed's Python client and Go's client_golang, when installed. */
export async function peers(size: Size, oursMs: number): Promise<Row[]> {
  const rows: Row[] = [];
  const script = fileURLToPath(new URL('../../peers/python_client.py', import.meta.url));
  const python = await run('/usr/bin/python3', ['-c', 'import prometheus_client'])
    .then(() => '/usr/bin/python3')
    .catch(() => undefined);
  if (python === undefined) {
    rows.push({ target: '1p. peer: Python prometheus_client', figure: 'not measured', baseline: '-', ratio: undefined, goal: '-', pass: undefined, note: 'Debian package python3-prometheus-client not installed' });
  } else {
    const { stdout } = await run(python, [script, '10', String(size.series / 10), String(size.histograms), '3'], { timeout: 600_000, maxBuffer: 1 << 20 });
    const theirs = (JSON.parse(stdout) as { medianMs: number }).medianMs;
    rows.push({
      target: `1p. peer: Python prometheus_client generate_latest(), same series`,
      figure: ms(oursMs),
      baseline: `${ms(theirs)} (Python client)`,
      ratio: oursMs / theirs,
      goal: 'informative',
      pass: undefined,
      note: 'compared, no target',
    });
  }
  const goSource = fileURLToPath(new URL('../../peers/go_client/', import.meta.url));
  const goBinary = join(mkdtempSync(join(tmpdir(), 'muster-go-peer-')), 'go_peer');
  // Offline, in GOPATH mode, against Debian's golang-github-prometheus-client-golang-dev.
  const built = await run('go', ['build', '-o', goBinary, '.'], {
    cwd: goSource,
    env: { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOFLAGS: '' },
    timeout: 300_000,
  }).then(
    () => true,
    () => false,
  );
  if (!built) {
    rows.push({
      target: '1g. peer: Go client_golang',
      figure: 'not measured',
      baseline: '-',
      ratio: undefined,
      goal: '-',
      pass: undefined,
      note: 'Debian packages golang-go and golang-github-prometheus-client-golang-dev not installed',
    });
  } else {
    const { stdout } = await run(goBinary, ['10', String(size.series / 10), String(size.histograms), '3'], { timeout: 600_000, maxBuffer: 1 << 20 });
    const theirs = (JSON.parse(stdout) as { medianMs: number }).medianMs;
    rows.push({
      target: '1g. peer: Go client_golang Gather() + text encoding, same series',
      figure: ms(oursMs),
      baseline: `${ms(theirs)} (Go client)`,
      ratio: oursMs / theirs,
      goal: 'informative',
      pass: undefined,
      note: 'compared, no target',
    });
  }
  return rows;
}
