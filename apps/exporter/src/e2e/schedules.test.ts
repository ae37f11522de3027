import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { eventually, findSamples, parseExposition, sampleValue, sleep } from '@muster/testing';
import { writeConfig } from './testing/config-file.js';
import { type Exporter, startExporter } from './testing/exporter-process.js';
import { cyclesEnded } from './testing/fault-case.js';
import { type TestServer, testServer } from './testing/http-backend.js';
import { FIXTURES } from './testing/paths.js';

const ITEMS = join(FIXTURES, 'items.mjs');
const SLEEPY = join(FIXTURES, 'sleepy.mjs');

async function scrape(exporter: Exporter) {
  return parseExposition((await exporter.scrape()).body);
}

describe('series that vanish upstream vanish from /metrics', () => {
  let server: TestServer;
  let exporter: Exporter;
  after(async () => {
    await exporter?.stop();
    await server?.stop();
  });

  it('drops a deleted item after the next successful cycle', async () => {
    let items: Record<string, number> = { keep: 1, doomed: 2 };
    server = await testServer((_req, res) => res.end(JSON.stringify(items)));
    exporter = await startExporter(writeConfig(`plugins:\n  - { name: inv, use: ${ITEMS}, schedule: 200ms, timeout: 150ms, config: { url: "${server.url}/" } }\n`));
    assert.ok(await eventually(async () => findSamples(await scrape(exporter), 'fixture_item_value', { item: 'doomed' }).length === 1));
    items = { keep: 5 };
    assert.ok(await eventually(async () => findSamples(await scrape(exporter), 'fixture_item_value', { item: 'doomed' }).length === 0));
    assert.equal(sampleValue(await scrape(exporter), 'fixture_item_value', { item: 'keep' }), 5);
  });
});

describe('deadlines', () => {
  let slow: TestServer;
  let exporter: Exporter;
  after(async () => {
    await exporter?.stop();
    await slow?.stop();
  });

  it('reports a hanging target as unhealthy/timeout in time, fails a deaf collector with timeout, and keeps scrapes fast', async () => {
    // Never answers: the request hangs until the test ends.
    slow = await testServer(() => undefined);
    exporter = await startExporter(
      writeConfig(`defaults: { align: true }
plugins:
  - { name: hanging-site, use: http-health, schedule: 2s, timeout: 1s, config: { url: "${slow.url}/" } }
  - { name: deaf, use: ${SLEEPY}, schedule: 2s, timeout: 500ms, config: { sleepMs: 60000, ignoreSignal: true } }
  - { name: fine, use: ${SLEEPY}, schedule: 500ms, timeout: 400ms, config: { sleepMs: 1 } }
`),
    );
    assert.ok(await eventually(async () => (await exporter.scrape('/readyz')).status === 200), 'ready once every first cycle ended');
    const parsed = await scrape(exporter);
    assert.equal(sampleValue(parsed, 'http_health_status', { collector: 'hanging-site', http_health_status: 'unhealthy' }), 1);
    assert.equal(sampleValue(parsed, 'http_health_failure_reason', { collector: 'hanging-site', http_health_failure_reason: 'timeout' }), 1);
    // The plugin ended its own cycle with its verdict (muster did not have to cut it off).
    assert.equal(sampleValue(parsed, 'muster_collector_up', { collector: 'hanging-site' }), 1, 'http-health ends inside its deadline');
    assert.equal(sampleValue(parsed, 'muster_collector_up', { collector: 'deaf' }), 0);
    assert.equal(sampleValue(parsed, 'muster_collector_failure_reason', { collector: 'deaf', muster_collector_failure_reason: 'timeout' }), 1);
    // It sleeps 60 s: a duration far below that means the deadline cut it off.
    assert.ok(sampleValue(parsed, 'muster_collector_duration_seconds', { collector: 'deaf' }) < 30, 'the deaf collector is cut off at its deadline');
    assert.equal(sampleValue(parsed, 'muster_collector_up', { collector: 'fine' }), 1);
  });

  it('serves a scrape while a cycle hangs, without waiting for it', async () => {
    await exporter?.stop();
    // The cycle hangs 50 s (its timeout) on a target that never answers. A scrape that waited
    // for it would answer after the cycle ended, with its result: the scrapes below answer while
    // it still runs, so they show no result for it, and /readyz says it is still pending.
    exporter = await startExporter(
      writeConfig(`defaults: { align: true, selfMetrics: full }
plugins:
  - { name: patient, use: http-health, schedule: 1m, timeout: 50s, config: { url: "${slow.url}/" } }
  - { name: fine, use: ${SLEEPY}, schedule: 500ms, timeout: 400ms, config: { sleepMs: 1 } }
`),
    );
    assert.ok(await eventually(async () => sampleValue(await scrape(exporter), 'muster_collector_up', { collector: 'fine' }) === 1, 20_000));
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${exporter.url}/metrics`, { signal: AbortSignal.timeout(20_000) });
      assert.equal(res.status, 200);
      const parsed = parseExposition(await res.text());
      assert.equal(cyclesEnded(parsed, 'patient'), 0, 'the hanging cycle has not ended');
      assert.equal(sampleValue(parsed, 'muster_collector_up', { collector: 'fine' }), 1);
      await sleep(100);
    }
    const ready = await exporter.scrape('/readyz');
    assert.equal(ready.status, 503);
    assert.match(ready.body, /patient/);
  });
});

describe('scheduling', () => {
  let exporter: Exporter;
  after(() => exporter?.stop());

  it('never overlaps cycles of one instance and fails runs due while it overruns with reason overrun; cron schedules fire', async () => {
    const report = join(tmpdir(), `muster-sleepy-${process.pid}-${Date.now()}`);
    let sawOverrun = false;
    exporter = await startExporter(
      writeConfig(`defaults: { selfMetrics: full }
plugins:
  - { name: slowpoke, use: ${SLEEPY}, schedule: 200ms, timeout: 200ms, config: { sleepMs: 500, ignoreSignal: true, reportFile: "${report}" } }
  - { name: every-second, use: ${SLEEPY}, schedule: "* * * * * *", timeout: 500ms, config: { sleepMs: 1 } }
`),
    );
    assert.ok(
      await eventually(async () => {
        const p = await scrape(exporter);
        // A run due while the previous cycle is within its deadline is skipped; one due while it
        // runs past its deadline (ignoring the signal) fails at once with reason overrun.
        const notStarted =
          (findSamples(p, 'muster_collector_runs_total', { collector: 'slowpoke', result: 'skipped' })[0]?.value ?? 0) +
          (findSamples(p, 'muster_collector_runs_total', { collector: 'slowpoke', result: 'failure' })[0]?.value ?? 0);
        sawOverrun ||= findSamples(p, 'muster_collector_failure_reason', { collector: 'slowpoke', muster_collector_failure_reason: 'overrun' })[0]?.value === 1;
        return notStarted >= 2 && sawOverrun && (findSamples(p, 'muster_collector_runs_total', { collector: 'every-second', result: 'success' })[0]?.value ?? 0) >= 2;
      }),
      'overruns shown and cron fired at least twice',
    );
    const parsed = await scrape(exporter);
    // slowpoke's deadline (200 ms) is shorter than its work (500 ms) and it ignores the signal,
    // yet it never ran two cycles at once.
    assert.equal(readFileSync(report, 'utf8'), '1');
    assert.ok(sampleValue(parsed, 'muster_collector_runs_total', { collector: 'slowpoke', result: 'failure' }) >= 1);
    assert.equal(sampleValue(parsed, 'fixture_sleepy_max_concurrency', { collector: 'every-second' }), 1);
  });
});

describe('on-scrape instances', () => {
  let exporter: Exporter;
  after(() => exporter?.stop());

  it('run during the scrape, bounded by X-Prometheus-Scrape-Timeout-Seconds', async () => {
    exporter = await startExporter(
      writeConfig(`plugins:
  - { name: quick, use: ${SLEEPY}, schedule: on-scrape, timeout: 5s, config: { sleepMs: 1 } }
  - { name: sluggish, use: ${SLEEPY}, schedule: on-scrape, timeout: 5m, config: { sleepMs: 600000 } }
`),
    );
    const before = sampleValue(parseExposition((await exporter.scrape('/metrics?collector=quick')).body), 'fixture_sleepy_cycles_total', { collector: 'quick' });
    // sluggish would run 10 minutes (its timeout 5): the 1 s budget of the scrape ends it, so the
    // scrape answers (the 60 s guard only turns a hang into a failure) and says sluggish timed out.
    const res = await fetch(`${exporter.url}/metrics`, { headers: { 'x-prometheus-scrape-timeout-seconds': '1' }, signal: AbortSignal.timeout(60_000) });
    assert.equal(res.status, 200);
    const body = await res.text();
    const parsed = parseExposition(body);
    assert.ok(sampleValue(parsed, 'fixture_sleepy_cycles_total', { collector: 'quick' }) > before, 'quick ran during the scrape');
    assert.equal(sampleValue(parsed, 'muster_collector_up', { collector: 'sluggish' }), 0);
    assert.equal(sampleValue(parsed, 'muster_collector_failure_reason', { collector: 'sluggish', muster_collector_failure_reason: 'timeout' }), 1);
    assert.doesNotMatch(body, /^# HELP fixture_sleepy_cycles_total .*cached/m, 'on-scrape values are not marked cached');
  });
});
