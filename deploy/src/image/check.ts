#!/usr/bin/env node
/**
 * Scrapes a running muster and checks that every instance is up and every backend answered:
 *
 *   node deploy/dist/image/check.js http://127.0.0.1:9777 [collector…]
 *
 * Waits (up to 60 s) for /readyz, then fails (exit 1, saying why) unless every
 * `muster_collector_up` is 1, the named collectors are all there, every `pg_up` is 1, every
 * http-health check is healthy, and every Jenkins instance counted jobs. Prints what it saw.
 */
import { findSamples, parseExposition } from '@muster/testing';

const [base, ...expected] = process.argv.slice(2);
if (base === undefined) {
  process.stderr.write('usage: check.js BASE_URL [collector…]\n');
  process.exit(2);
}

const deadline = Date.now() + 60_000;
for (;;) {
  try {
    if ((await fetch(`${base}/readyz`)).ok) break;
  } catch {
    // not listening yet
  }
  if (Date.now() > deadline) {
    process.stderr.write(`check: ${base}/readyz did not answer 200 within 60 s\n`);
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 250));
}

const res = await fetch(`${base}/metrics`);
const body = await res.text();
const parsed = parseExposition(body);
const problems: string[] = [...parsed.problems.map((p) => `exposition: ${JSON.stringify(p)}`)];
if (res.status !== 200) problems.push(`/metrics answered ${res.status}`);

const up = findSamples(parsed, 'muster_collector_up');
const seen = up.map((s) => s.labels.collector ?? '');
for (const name of expected) if (!seen.includes(name)) problems.push(`instance ${name} is missing from /metrics`);
for (const s of up) {
  const collector = s.labels.collector ?? '';
  if (s.value !== 1) {
    const reason = findSamples(parsed, 'muster_collector_failure_reason', { collector }).find((r) => r.value === 1);
    problems.push(`instance ${collector} is down (muster_collector_up 0, reason ${reason?.labels.muster_collector_failure_reason ?? '?'})`);
  }
}
for (const s of findSamples(parsed, 'pg_up')) if (s.value !== 1) problems.push(`PostgreSQL instance ${s.labels.collector}: pg_up 0`);
for (const s of findSamples(parsed, 'http_health_status', { http_health_status: 'healthy' })) {
  if (s.value !== 1) problems.push(`http-health instance ${s.labels.collector} is unhealthy`);
}
const jenkins = new Set(findSamples(parsed, 'jenkins_info').map((s) => s.labels.collector ?? ''));
for (const collector of jenkins) {
  const jobs = findSamples(parsed, 'jenkins_jobs', { collector }).reduce((n, s) => n + s.value, 0);
  if (!(jobs > 0)) problems.push(`Jenkins instance ${collector} counted no jobs`);
}

const build = findSamples(parsed, 'muster_build_info')[0];
process.stdout.write(`check: ${base}/metrics: ${body.length} bytes, ${parsed.families.length} families; muster ${build?.labels.version ?? '?'} on Node ${build?.labels.node_version ?? '?'}\n`);
for (const s of up) {
  const info = findSamples(parsed, 'muster_collector_info', { collector: s.labels.collector ?? '' })[0];
  process.stdout.write(`check:   ${s.value === 1 ? 'up  ' : 'DOWN'} ${s.labels.collector} (${info?.labels.plugin ?? '?'})\n`);
}
if (problems.length > 0) {
  for (const p of problems) process.stderr.write(`check: FAILED: ${p}\n`);
  process.exit(1);
}
process.stdout.write(`check: OK: ${up.length} instances up\n`);
