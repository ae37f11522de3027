import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeTcpPort } from '@muster/testing-postgres';
import { durations, FINE_BUCKETS, WITHIN_SECONDS } from './histogram.js';

/** Instances up to which muster's config sets {@link FINE_BUCKETS} (a 1 MiB config holds about 6,000 such entries). */
export const FINE_BUCKETS_UP_TO = 5000;
import { type Child, startChild, usage, waitOk } from './proc.js';

/** The `muster` command as users run it (it restarts itself with muster's V8 flags). */
export const MUSTER_BIN = fileURLToPath(new URL('../../../apps/exporter/bin/muster.js', import.meta.url));
export const BLACKBOX = '/usr/bin/prometheus-blackbox-exporter';
export const POSTGRES_EXPORTER = '/usr/bin/prometheus-postgres-exporter';

/** What one side measured over its window. */
export interface SideResult {
  readonly startMs: number;
  readonly rssMiB: number;
  readonly cpuSeconds: number;
  readonly windowSeconds: number;
  /** Checks (requests at the target, or pings) during the window. */
  readonly checks: number;
  readonly seriesPerInstance: number;
  readonly musterSeriesPerInstance?: number;
  readonly scrapeBytes: number;
  /** p99 of the check durations recorded during the window, seconds. */
  readonly p99: number;
  /** Share of those durations at or under 10 ms. */
  readonly within?: number;
  readonly medianMean?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The body of `url`, on a connection of its own (no pooled connection the server may have closed meanwhile). */
function text(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** Requests the target has answered so far. */
async function targetCount(targetUrl: string): Promise<number> {
  return Number(await text(`${targetUrl}/__count`));
}

/** muster with `n` http-health instances on `intervalS`, each probing its own path of the target. */
export async function musterHttp(n: number, targetUrl: string, intervalS: number, windowS: number): Promise<SideResult> {
  const port = await freeTcpPort();
  const dir = mkdtempSync(join(tmpdir(), 'muster-scale-'));
  // Narrow buckets around the 10 ms goal, as many as the default (see FINE_BUCKETS), up to
  // FINE_BUCKETS_UP_TO instances; past that they would take the file over muster's 1 MiB config
  // limit, and the default buckets stay (the p99 is then interpolated in 10–25 ms when above 10).
  const buckets = n <= FINE_BUCKETS_UP_TO ? `, buckets: [${FINE_BUCKETS.join(', ')}]` : '';
  const lines = Array.from({ length: n }, (_, i) => `  - { name: site-${i}, use: http-health, config: { url: "${targetUrl}/p${i}"${buckets} } }`);
  const timeout = Math.min(5, intervalS * 0.9);
  writeFileSync(join(dir, 'muster.yaml'), `server: { host: 127.0.0.1, port: ${port} }\ndefaults: { schedule: ${intervalS}s, timeout: ${timeout}s }\nplugins:\n${lines.join('\n')}\n`);
  const child = startChild(process.execPath, [MUSTER_BIN, 'start', '--config', join(dir, 'muster.yaml'), '--log-level', 'error']);
  try {
    const startMs = await waitOk(`http://127.0.0.1:${port}/readyz`, child);
    return await measureWindow(child, `http://127.0.0.1:${port}/metrics`, intervalS, windowS, n, startMs, () => targetCount(targetUrl), 'http_health_request_duration_seconds');
  } finally {
    await child.stop();
  }
}

/** Scrapes every interval as Prometheus would, and reads CPU and RSS over the window. */
async function measureWindow(
  child: Child,
  metricsUrl: string,
  intervalS: number,
  windowS: number,
  n: number,
  startMs: number,
  count: () => Promise<number>,
  family: string,
  perCollector = true,
): Promise<SideResult> {
  // One interval of warm-up: every instance's first cycle (at its phase) and a first scrape have
  // run, so the window measures the steady state, not start-up work.
  await text(metricsUrl);
  await sleep(intervalS * 1000);
  // The histograms at the window's start: the durations are those recorded during the window.
  const start = await text(metricsUrl);
  const before = usage(child.pid);
  const checksBefore = await count();
  const t0 = performance.now();
  let body = '';
  for (let next = intervalS * 1000; next <= windowS * 1000; next += intervalS * 1000) {
    await sleep(Math.max(0, next - (performance.now() - t0)));
    body = await text(metricsUrl);
  }
  const after = usage(child.pid);
  const elapsed = (performance.now() - t0) / 1000;
  const samples = body.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  const own = samples.filter((l) => l.includes('collector="'));
  const d = durations(body, family, start);
  return {
    startMs,
    rssMiB: after.rss / 1048576,
    cpuSeconds: after.cpuSeconds - before.cpuSeconds,
    windowSeconds: elapsed,
    checks: (await count()) - checksBefore,
    // A peer's output has no collector label: all its series are the instance's.
    seriesPerInstance: (perCollector ? own.length : samples.length) / n,
    musterSeriesPerInstance: own.filter((l) => l.startsWith('muster_')).length / n,
    scrapeBytes: Buffer.byteLength(body),
    p99: d.p99,
    within: d.within,
    medianMean: d.medianMean,
  };
}

/**
 * blackbox_exporter probing the same `n` targets at the same rate: the benchmark plays
 * Prometheus, spreading one `/probe` per target over each interval.
 */
export async function blackboxHttp(n: number, targetUrl: string, intervalS: number, windowS: number): Promise<SideResult> {
  const port = await freeTcpPort();
  const dir = mkdtempSync(join(tmpdir(), 'blackbox-scale-'));
  const timeout = Math.min(5, intervalS * 0.9);
  writeFileSync(join(dir, 'blackbox.yml'), `modules:\n  http_2xx:\n    prober: http\n    timeout: ${timeout}s\n    http:\n      preferred_ip_protocol: ip4\n`);
  const started = performance.now();
  const child = startChild(BLACKBOX, [`--config.file=${join(dir, 'blackbox.yml')}`, `--web.listen-address=127.0.0.1:${port}`]);
  try {
    await waitOk(`http://127.0.0.1:${port}/-/healthy`, child);
    const startMs = performance.now() - started;
    const before = usage(child.pid);
    const checksBefore = await targetCount(targetUrl);
    const t0 = performance.now();
    const probeSeconds: number[] = [];
    let probeBody = '';
    const probes: Promise<void>[] = [];
    for (let i = 0; i < n; i++) {
      probes.push(
        (async () => {
          // Each target at its own phase of the interval, as Prometheus spreads its targets.
          for (let at = (i / n) * intervalS * 1000; at < windowS * 1000; at += intervalS * 1000) {
            await sleep(Math.max(0, at - (performance.now() - t0)));
            const url = `http://127.0.0.1:${port}/probe?module=http_2xx&target=${encodeURIComponent(`${targetUrl}/p${i}`)}`;
            const answer = await text(url);
            const d = /^probe_http_duration_seconds\{phase="[^"]*"\} (\S+)$/gm;
            let total = 0;
            for (const m of answer.matchAll(d)) total += Number(m[1]);
            probeSeconds.push(total);
            probeBody = answer;
          }
        })(),
      );
    }
    await Promise.all(probes);
    const after = usage(child.pid);
    probeSeconds.sort((a, b) => a - b);
    const samples = probeBody.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    return {
      startMs,
      rssMiB: after.rss / 1048576,
      cpuSeconds: after.cpuSeconds - before.cpuSeconds,
      windowSeconds: (performance.now() - t0) / 1000,
      checks: (await targetCount(targetUrl)) - checksBefore,
      seriesPerInstance: samples.length,
      scrapeBytes: Buffer.byteLength(probeBody),
      p99: probeSeconds[Math.floor(probeSeconds.length * 0.99)] ?? Number.NaN,
      within: probeSeconds.filter((s) => s <= WITHIN_SECONDS).length / probeSeconds.length,
    };
  } finally {
    await child.stop();
  }
}

/** The loopback PostgreSQL the ping cases use. */
export interface Database {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

/** Polls `url` until its body matches `pattern`; resolves with the ms since `from`. */
async function firstData(url: string, pattern: RegExp, child: Child, from: number): Promise<number> {
  for (;;) {
    const body = await fetch(url).then(
      (r) => r.text(),
      () => '',
    );
    if (pattern.test(body)) return performance.now() - from;
    if (child.process.exitCode !== null) throw new Error(`exited with ${child.process.exitCode}:\n${child.output()}`);
    if (performance.now() - from > 120_000) throw new Error(`${url}: no ${pattern} within 120 s:\n${child.output()}`);
    await sleep(10);
  }
}

/** muster pinging one database every `intervalS`, scraped at the same rate. */
export async function musterPostgres(db: Database, intervalS: number, windowS: number): Promise<SideResult> {
  const port = await freeTcpPort();
  const dir = mkdtempSync(join(tmpdir(), 'muster-scale-pg-'));
  writeFileSync(
    join(dir, 'muster.yaml'),
    `server: { host: 127.0.0.1, port: ${port} }\nplugins:\n  - name: db\n    use: postgres\n    schedule: ${intervalS}s\n    timeout: ${Math.min(5, intervalS * 0.9)}s\n    config: { host: ${db.host}, port: ${db.port}, user: ${db.user}, password: "${db.password}", database: ${db.database} }\n`,
  );
  const started = performance.now();
  const child = startChild(process.execPath, [MUSTER_BIN, 'start', '--config', join(dir, 'muster.yaml'), '--log-level', 'error']);
  try {
    const startMs = await firstData(`http://127.0.0.1:${port}/metrics`, /^pg_up\{[^}]*\} 1$/m, child, started);
    return await measureWindow(child, `http://127.0.0.1:${port}/metrics`, intervalS, windowS, 1, startMs, async () => 0, 'pg_ping_duration_seconds');
  } finally {
    await child.stop();
  }
}

/** postgres_exporter on the same database, scraped (so pinging) every `intervalS`. */
export async function postgresExporter(db: Database, intervalS: number, windowS: number): Promise<SideResult> {
  const port = await freeTcpPort();
  const env = { ...process.env, DATA_SOURCE_NAME: `postgresql://${db.user}:${encodeURIComponent(db.password)}@${db.host}:${db.port}/${db.database}?sslmode=disable` };
  const started = performance.now();
  const child = startChild(POSTGRES_EXPORTER, [`--web.listen-address=127.0.0.1:${port}`], env);
  try {
    const startMs = await firstData(`http://127.0.0.1:${port}/metrics`, /^pg_up 1$/m, child, started);
    const r = await measureWindow(child, `http://127.0.0.1:${port}/metrics`, intervalS, windowS, 1, startMs, async () => 0, 'none', false);
    return r;
  } finally {
    await child.stop();
  }
}

/** Whether a peer's binary is installed. */
export const installed = (path: string) => existsSync(path);
