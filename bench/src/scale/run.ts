/**
 * Scale: what muster costs per instance, beside the exporters an operator would otherwise run,
 * on the same loopback targets at the same rate, in one run.
 *
 * - http-health at 1, 100, 1,000 and 10,000 instances, each checking its own path of a loopback
 *   target that answers after 1 ms, every 15 s; blackbox_exporter probing the same targets at the
 *   same rate (the benchmark spreads one `/probe` per target over each interval, as Prometheus
 *   does). RSS and CPU of each process over two intervals, CPU per check, series per instance,
 *   scrape size, start to ready, and the p99 of the check durations recorded during the window
 *   (muster's histograms in narrow buckets up to 25 ms, see `FINE_BUCKETS`) with the share of
 *   checks within 10 ms.
 * - One PostgreSQL (the repository's launcher) pinged every 15 s: muster's postgres plugin beside
 *   postgres_exporter scraped every 15 s: RSS, CPU over the window, start to first data.
 *
 *   node dist/scale/run.js            the full run (a few minutes)
 *   node dist/scale/run.js --smoke    1 and 20 instances, 1 s interval (pnpm test)
 *
 * A peer whose Debian package is missing is SKIPPED. Writes results/scale.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgres } from '@muster/testing-postgres';
import { FINE_BUCKETS } from './histogram.js';
import { startChild } from './proc.js';
import { BLACKBOX, blackboxHttp, FINE_BUCKETS_UP_TO, installed, musterHttp, musterPostgres, POSTGRES_EXPORTER, postgresExporter, type SideResult } from './sides.js';

const smoke = process.argv.includes('--smoke');
const sizesArg = process.argv.find((a) => a.startsWith('--sizes='));
/** Instance counts to run (`--sizes=1,100`; `--sizes=` runs only the PostgreSQL case). */
const SIZES = sizesArg !== undefined ? sizesArg.slice('--sizes='.length).split(',').filter(Boolean).map(Number) : smoke ? [1, 20] : [1, 100, 1_000, 10_000];
const INTERVAL_S = smoke ? 1 : 15;
const WINDOW_S = smoke ? 2 : 30;
const TARGET_DELAY_MS = 1;

const mib = (x: number) => `${x.toFixed(0)} MiB`;
const ms = (s: number) => (Number.isNaN(s) ? '–' : `${(s * 1000).toFixed(1)} ms`);
const pct = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '–' : `${(x * 100).toFixed(2)} %`);
const ratio = (a: number, b: number | undefined) => (b === undefined || b === 0 || Number.isNaN(b) ? '–' : `${(a / b).toFixed(2)}`);
const perCheck = (r: SideResult) => (r.checks > 0 ? (r.cpuSeconds * 1000) / r.checks : Number.NaN);
const perMinute = (r: SideResult) => (r.cpuSeconds * 60) / r.windowSeconds;

interface Row {
  readonly case: string;
  readonly muster: string;
  readonly peer: string;
  readonly ratio: string;
}
const rows: Row[] = [];
const results: Record<string, { muster: SideResult; peer?: SideResult }> = {};
const row = (c: string, muster: string, peer: string, r: string) => {
  rows.push({ case: c, muster, peer, ratio: r });
  console.log(`  ${c}: muster ${muster} | peer ${peer} | ratio ${r}`);
};

const target = startChild(process.execPath, [fileURLToPath(new URL('./target.js', import.meta.url)), '0', String(TARGET_DELAY_MS)]);
const targetPort = Number((await target.waitFor(/ready (\d+)/))[1]);
const targetUrl = `http://127.0.0.1:${targetPort}`;
const haveBlackbox = installed(BLACKBOX);
const havePgExporter = installed(POSTGRES_EXPORTER);
console.log(`scale: interval ${INTERVAL_S}s, muster's duration buckets ${FINE_BUCKETS.map((b) => b * 1000).join(', ')} ms, window ${WINDOW_S}s, target answers after ${TARGET_DELAY_MS} ms; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
try {
  for (const n of SIZES) {
    console.log(`http-health × ${n} (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
    let m: SideResult;
    let b: SideResult | undefined;
    try {
      m = await musterHttp(n, targetUrl, INTERVAL_S, WINDOW_S);
      b = haveBlackbox ? await blackboxHttp(n, targetUrl, INTERVAL_S, WINDOW_S) : undefined;
    } catch (err) {
      // A size that fails is reported, and the run goes on; the exit code says so.
      process.exitCode = 1;
      row(`${n} http`, `FAILED: ${String(err instanceof Error ? `${err.message} ${String(err.cause ?? '')}` : err).slice(0, 200)}`, '–', '–');
      continue;
    }
    results[`http-${n}`] = { muster: m, ...(b === undefined ? {} : { peer: b }) };
    const skipped = 'SKIPPED (no prometheus-blackbox-exporter)';
    row(`${n} http: RSS`, mib(m.rssMiB), b ? mib(b.rssMiB) : skipped, ratio(m.rssMiB, b?.rssMiB));
    row(`${n} http: CPU per check`, `${perCheck(m).toFixed(2)} ms (${m.checks} checks)`, b ? `${perCheck(b).toFixed(2)} ms (${b.checks} checks)` : skipped, ratio(perCheck(m), b ? perCheck(b) : undefined));
    row(`${n} http: CPU-s per minute`, perMinute(m).toFixed(3), b ? perMinute(b).toFixed(3) : skipped, ratio(perMinute(m), b ? perMinute(b) : undefined));
    row(`${n} http: series per instance`, `${m.seriesPerInstance.toFixed(1)} (muster_* ${m.musterSeriesPerInstance?.toFixed(1)})`, b ? `${b.seriesPerInstance} per /probe` : skipped, ratio(m.seriesPerInstance, b?.seriesPerInstance));
    row(`${n} http: scrape size`, `${(m.scrapeBytes / 1024).toFixed(0)} KiB`, b ? `${(b.scrapeBytes / 1024).toFixed(1)} KiB per /probe` : skipped, '–');
    row(`${n} http: p99 recorded duration (1 ms target${n > FINE_BUCKETS_UP_TO ? ', default buckets' : ''})`, `${ms(m.p99)} (median mean ${ms(m.medianMean ?? Number.NaN)})`, b ? ms(b.p99) : skipped, ratio(m.p99, b?.p99));
    row(`${n} http: checks within 10 ms`, pct(m.within), b ? pct(b.within) : skipped, '–');
    row(`${n} http: start to ready`, `${(m.startMs / 1000).toFixed(2)} s`, b ? `${(b.startMs / 1000).toFixed(2)} s` : skipped, ratio(m.startMs, b?.startMs));
  }
  console.log('postgres × 1');
  const pg = await startPostgres();
  try {
    const db = { host: pg.host, port: pg.port, user: pg.user, password: pg.password, database: pg.database };
    const m = await musterPostgres(db, INTERVAL_S, WINDOW_S);
    const p = havePgExporter ? await postgresExporter(db, INTERVAL_S, WINDOW_S) : undefined;
    results.postgres = { muster: m, ...(p === undefined ? {} : { peer: p }) };
    const skipped = 'SKIPPED (no prometheus-postgres-exporter)';
    row('1 postgres: RSS', mib(m.rssMiB), p ? mib(p.rssMiB) : skipped, ratio(m.rssMiB, p?.rssMiB));
    row(`1 postgres: CPU-s over ${WINDOW_S} s, pinged and scraped every ${INTERVAL_S} s`, m.cpuSeconds.toFixed(2), p ? p.cpuSeconds.toFixed(2) : skipped, ratio(m.cpuSeconds, p?.cpuSeconds));
    row('1 postgres: start to first data', `${(m.startMs / 1000).toFixed(2)} s`, p ? `${(p.startMs / 1000).toFixed(2)} s` : skipped, ratio(m.startMs, p?.startMs));
    row('1 postgres: series', m.seriesPerInstance.toFixed(0), p ? p.seriesPerInstance.toFixed(0) : skipped, '–');
  } finally {
    await pg.stop();
  }
} finally {
  await target.stop();
}

console.log('\n| case | muster | peer | ratio |\n| --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.case} | ${r.muster} | ${r.peer} | ${r.ratio} |`);
const out = fileURLToPath(new URL('../../results/', import.meta.url));
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'scale.json'), `${JSON.stringify({ smoke, interval: INTERVAL_S, window: WINDOW_S, loadavg: loadavg(), results, rows }, null, 2)}\n`);
