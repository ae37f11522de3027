/**
 * Authentication under a wrong-password flood: the worst latency of a client with the right,
 * already verified password while `wrk` sends random wrong passwords over 20 and over 50
 * connections, side by side with no flood, against a real `muster start` (bcrypt cost 10).
 * Goal: worst < 250 ms. When Debian's `prometheus` is installed, the same flood runs against
 * Prometheus' own web server (the exporter-toolkit, Go) as a peer. Loopback only.
 *
 *   node dist/auth/run.js               10 s per flood
 *   node dist/auth/run.js --smoke       2 s per flood, no goal (pnpm test)
 *
 * Writes results/auth.json. The flood and the client live beside the exporter's end-to-end tests
 * (apps/exporter/src/e2e/testing/auth-flood.ts), whose short version runs in CI.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@muster/testing';
import * as kit from '@muster/exporter/e2e/testing/auth-flood';
import { writeResults } from '../results.js';
const smoke = process.argv.includes('--smoke');
const seconds = smoke ? 2 : 10;
const GOAL_MS = 250;

function locate(name: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() !== '' ? found.stdout.trim() : undefined;
}

const wrk = locate('wrk');
if (wrk === undefined) {
  console.error('auth: wrk is not installed (Debian package "wrk")');
  process.exit(1);
}

interface Row {
  readonly side: string;
  readonly connections: number;
  readonly requests: number;
  readonly p50: number;
  readonly p99: number;
  readonly worst: number;
  readonly goodStatuses: Readonly<Record<number, number>>;
  readonly floodStatuses: Readonly<Record<number, number>>;
}

function row(side: string, r: kit.FloodResult): Row {
  return {
    side,
    connections: r.connections,
    requests: r.goodLatencies.length,
    p50: kit.quantile(r.goodLatencies, 0.5),
    p99: kit.quantile(r.goodLatencies, 0.99),
    worst: Math.max(...r.goodLatencies),
    goodStatuses: r.goodStatuses,
    floodStatuses: r.floodStatuses,
  };
}

const rows: Row[] = [];
const { exporter } = await kit.startGuarded(10);
try {
  for (const connections of [0, 20, 50]) rows.push(row('muster', await kit.measureFlood(wrk, exporter.port, connections, seconds)));
} finally {
  await exporter.stop();
}

// The peer: Prometheus' web server reads the same web config through the exporter-toolkit.
const prometheus = locate('prometheus');
if (prometheus !== undefined) {
  const dir = mkdtempSync(join(tmpdir(), 'muster-auth-peer-'));
  writeFileSync(join(dir, 'prometheus.yml'), 'global: {}\n');
  writeFileSync(join(dir, 'web.yml'), kit.webConfigText(10));
  const port = await freePort();
  const child = spawn(
    prometheus,
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, `--web.config.file=${join(dir, 'web.yml')}`],
    { stdio: 'ignore' },
  );
  try {
    const auth = `Basic ${Buffer.from(`${kit.USER}:${kit.PASSWORD}`).toString('base64')}`;
    for (let ready = false; !ready; ) {
      ready = await fetch(`http://127.0.0.1:${port}/-/healthy`, { headers: { authorization: auth } }).then((r) => r.ok, () => false);
      if (!ready) await new Promise((r) => setTimeout(r, 100));
    }
    for (const connections of [0, 20, 50]) rows.push(row('prometheus (exporter-toolkit)', await kit.measureFlood(wrk, port, connections, seconds, '/-/healthy')));
  } finally {
    child.kill('SIGTERM');
  }
} else {
  console.log('auth: peer skipped, prometheus is not installed (Debian package "prometheus")');
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
console.log(`\nRight password (verified) while wrk floods with random wrong ones, ${seconds} s each; bcrypt cost 10; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
console.log('| side | flood connections | right-password requests | p50 | p99 | worst | worst ÷ no-flood worst | flood answers | goal worst < 250 ms |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  const base = rows.find((b) => b.side === r.side && b.connections === 0);
  const ratio = base === undefined ? '–' : (r.worst / base.worst).toFixed(1);
  const flood = Object.entries(r.floodStatuses).map(([s, n]) => `${n}× ${s}`).join(', ') || '–';
  const bad = Object.keys(r.goodStatuses).some((s) => s !== '200');
  const verdict = r.side !== 'muster' ? 'informative' : r.connections === 0 ? 'baseline' : smoke ? 'smoke' : r.worst < GOAL_MS && !bad ? 'pass' : 'FAIL';
  console.log(`| ${r.side} | ${r.connections} | ${r.requests}${bad ? ` (${JSON.stringify(r.goodStatuses)})` : ''} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.worst)} | ${ratio} | ${flood} | ${verdict} |`);
}

writeResults('auth', { seconds, rows });
// The goal is about the flood; the no-flood row is the side-by-side baseline.
const failed = !smoke && rows.some((r) => r.side === 'muster' && r.connections > 0 && (r.worst >= GOAL_MS || Object.keys(r.goodStatuses).some((s) => s !== '200')));
process.exit(failed ? 1 : 0);
