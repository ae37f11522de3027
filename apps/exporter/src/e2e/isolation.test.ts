import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { eventually, findSamples, parseExposition, promtoolCheck, requireTool, sampleValue, sleep } from '@muster/testing';
import { writeConfig } from './testing/config-file.js';
import { type Exporter, startExporter } from './testing/exporter-process.js';
import { connectInspector, inspectorEnv } from './testing/inspector.js';
import { FIXTURES } from './testing/paths.js';

/**
 * Plugins that misbehave as real ones do, against a real `muster start`, judged from outside:
 * /metrics, /healthz, the log and the exit status. No test bounds wall-clock time: a plugin
 * that must be cut off runs far longer than any wait here.
 */
const MISBEHAVE = join(FIXTURES, 'misbehave.mjs');
const PATIENCE = 30_000;

const instance = (name: string, mode: string, extra = '', config = '') =>
  `  - { name: ${name}, use: ${MISBEHAVE}, selfMetrics: full, align: true${extra ? `, ${extra}` : ''}, config: { mode: ${mode}${config ? `, ${config}` : ''} } }\n`;

const scrapeOf = (exporter: Exporter) => async () => parseExposition((await exporter.scrape()).body);

const reasonIs = (parsed: ReturnType<typeof parseExposition>, collector: string, reason: string) =>
  findSamples(parsed, 'muster_collector_failure_reason', { collector, muster_collector_failure_reason: reason })[0]?.value === 1;

function tempFile(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'muster-isolation-')), name);
}

describe('isolation against misbehaving plugins (muster start)', () => {
  const running: Exporter[] = [];
  after(async () => {
    for (const e of running) await e.stop();
  });
  const start = async (file: string, options: Parameters<typeof startExporter>[1] = {}) => {
    const exporter = await startExporter(file, options);
    running.push(exporter);
    return exporter;
  };

  it('a stray rejection and a throwing timer fail only their own instance, with reason unhandled, and the process stays up', async () => {
    const file = writeConfig(
      `plugins:\n${instance('control', 'ok', 'schedule: 300ms, timeout: 250ms')}${instance('stray', 'stray-rejection', 'schedule: 300ms, timeout: 250ms')}${instance('timer', 'throwing-timer', 'schedule: 300ms, timeout: 250ms')}`,
    );
    const exporter = await start(file);
    const scrape = scrapeOf(exporter);
    assert.ok(
      await eventually(async () => {
        const p = await scrape();
        return reasonIs(p, 'stray', 'unhandled') && reasonIs(p, 'timer', 'unhandled');
      }, PATIENCE),
      exporter.output().slice(-3000),
    );
    // Keep it going for a few more cycles: each one raises again, nothing brings the process down.
    const before = sampleValue(await scrape(), 'muster_collector_unhandled_errors_total', { collector: 'stray' });
    assert.ok(await eventually(async () => sampleValue(await scrape(), 'muster_collector_unhandled_errors_total', { collector: 'stray' }) >= before + 3, PATIENCE));
    const p = await scrape();
    assert.ok(sampleValue(p, 'muster_collector_unhandled_errors_total', { collector: 'timer' }) >= 1);
    assert.equal(sampleValue(p, 'muster_collector_unhandled_errors_total', { collector: 'control' }), 0);
    assert.equal(sampleValue(p, 'muster_collector_up', { collector: 'control' }), 1, 'the other instance is untouched');
    assert.equal((await exporter.scrape('/healthz')).status, 200);
    assert.equal(exporter.process.exitCode, null, 'still running');
    // The log names the instance and the plugin of each contained error.
    const lines = exporter.output().split('\n').filter((l) => l.includes('unhandled error in plugin code'));
    assert.ok(lines.some((l) => l.includes('"collector":"stray"') && l.includes('"plugin":"fixture-misbehave"') && l.includes('backend b failed')));
    assert.ok(lines.some((l) => l.includes('"collector":"timer"') && l.includes('"plugin":"fixture-misbehave"') && l.includes('a late timer callback failed')));
    assert.ok(!lines.some((l) => l.includes('"collector":"control"')));
    assert.equal(await exporter.stop(), 0);
  });

  it('a 2 s busy loop in-process: its cycle is a timeout, not a success, and the stall is named after it', async () => {
    const file = writeConfig(
      `plugins:\n${instance('control', 'ok', 'schedule: 300ms, timeout: 250ms')}${instance('busy', 'busy', 'schedule: 5s, timeout: 500ms', 'busyMs: 2000')}`,
    );
    const exporter = await start(file);
    const scrape = scrapeOf(exporter);
    assert.ok(await eventually(async () => reasonIs(await scrape(), 'busy', 'timeout'), PATIENCE), exporter.output().slice(-3000));
    const p = await scrape();
    assert.equal(sampleValue(p, 'muster_collector_runs_total', { collector: 'busy', result: 'success' }), 0, 'never recorded as a success');
    assert.ok(sampleValue(p, 'muster_collector_stall_seconds_total', { collector: 'busy' }) >= 1, 'the stall is counted for the busy instance');
    assert.ok(
      exporter.output().split('\n').some((l) => l.includes('the event loop stalled') && l.includes('"collector":"busy"')),
      'the log names the instance that stalled the loop',
    );
    assert.equal(exporter.process.exitCode, null);
  });

  it('a collector that ignores its abort signal, reloaded 20 times, never runs two cycles at once and shows reason overrun', async () => {
    const report = tempFile('most');
    const text = (generation: number) =>
      `server:\n  reloadEndpoint: true\nplugins:\n${instance('control', 'ok', 'schedule: 300ms, timeout: 250ms')}${instance('deaf', 'deaf', 'schedule: 300ms, timeout: 100ms', `sleepMs: 1500, generation: ${generation}, reportFile: ${JSON.stringify(report)}`)}`;
    const file = writeConfig(text(0));
    const exporter = await start(file);
    assert.ok(await eventually(async () => existsSync(report), PATIENCE));
    let sawOverrun = false;
    let sawHeld = false;
    for (let generation = 1; generation <= 20; generation++) {
      writeFileSync(file, text(generation));
      const res = await fetch(`${exporter.url}/-/reload`, { method: 'POST', headers: { 'x-muster-reload': '1' } });
      assert.equal(res.status, 200);
      assert.deepEqual(((await res.json()) as { summary: { changed: string[] } }).summary.changed, ['deaf']);
      await sleep(200);
      sawOverrun ||= reasonIs(await scrapeOf(exporter)(), 'deaf', 'overrun');
      const status = (await (await fetch(`${exporter.url}/api/status`)).json()) as { instances: { name: string; overrunSince?: number | null }[] };
      sawHeld ||= typeof status.instances.find((i) => i.name === 'deaf')?.overrunSince === 'number';
    }
    assert.ok(sawHeld, 'the status page showed the slot held by an overrunning cycle');
    // Let the last cycles run their course.
    assert.ok(await eventually(async () => (sawOverrun ||= reasonIs(await scrapeOf(exporter)(), 'deaf', 'overrun')), PATIENCE));
    await sleep(2000);
    assert.equal(readFileSync(report, 'utf8'), '1', 'the most collect() calls of "deaf" seen running at once');
    const p = await scrapeOf(exporter)();
    assert.equal(sampleValue(p, 'muster_collector_up', { collector: 'control' }), 1);
    assert.equal(exporter.process.exitCode, null);
  });

  it('churning label values over maxSeries: every cycle fails with series-limit and the heap stays flat', async () => {
    const file = writeConfig(`plugins:\n${instance('churn', 'churn', 'schedule: 500ms, timeout: 450ms, maxSeries: 10000', 'series: 20000')}`);
    const exporter = await start(file, { env: inspectorEnv() });
    const inspector = await connectInspector(exporter.output);
    const scrape = scrapeOf(exporter);
    const failures = async () => sampleValue(await scrape(), 'muster_collector_runs_total', { collector: 'churn', result: 'failure' });
    assert.ok(await eventually(async () => (await failures()) >= 5, PATIENCE * 2), exporter.output().slice(-3000));
    // On a starved machine a cycle may miss its deadline instead; the series limit shows on the others.
    assert.ok(await eventually(async () => reasonIs(await scrape(), 'churn', 'series-limit'), PATIENCE * 2));
    // The heap after a full collection: what is still referenced, not garbage waiting for the collector.
    const base = await inspector.heapAfterGc();
    const from = await failures();
    // 30 more cycles of 20,000 new label sets each: kept, they would weigh well over 100 MB.
    assert.ok(await eventually(async () => (await failures()) >= from + 30, PATIENCE * 4));
    const grown = (await inspector.heapAfterGc()) - base;
    inspector.close();
    assert.ok(grown < 16 * 1024 * 1024, `the heap grew by ${(grown / 1048576).toFixed(1)} MiB over 30 failed cycles`);
    assert.equal(sampleValue(await scrape(), 'muster_collector_runs_total', { collector: 'churn', result: 'success' }), 0);
  });

  it('a plugin declaring process_resident_memory_bytes fails with create-failed naming the family and its owner; one header, promtool passes', async () => {
    const file = writeConfig(`plugins:\n${instance('control', 'ok', 'schedule: 300ms, timeout: 250ms')}${instance('squat', 'squat', 'schedule: 300ms, timeout: 250ms')}`);
    const exporter = await start(file);
    const scrape = scrapeOf(exporter);
    assert.ok(await eventually(async () => reasonIs(await scrape(), 'squat', 'create-failed'), PATIENCE));
    const body = (await exporter.scrape()).body;
    assert.equal(body.match(/^# HELP process_resident_memory_bytes /gm)?.length, 1, 'one family, one header');
    assert.equal(findSamples(parseExposition(body), 'process_resident_memory_bytes', { collector: 'squat' }).length, 0);
    const status = (await (await fetch(`${exporter.url}/api/status`)).json()) as { instances: { name: string; error?: string | null; overrunSince?: number | null }[] };
    const error = status.instances.find((i) => i.name === 'squat')?.error ?? '';
    assert.match(error, /process_resident_memory_bytes/);
    assert.match(error, /owner: muster/);
    const tool = requireTool('promtool');
    if (!('skip' in tool)) {
      const check = promtoolCheck(body);
      assert.equal(check.code, 0, check.output);
    }
  });

  it('isolation worker: a busy loop neither stalls /healthz nor outlives its deadline; rejections and a memory hog stay in their worker', async () => {
    const started = tempFile('started');
    const file = writeConfig(
      `plugins:\n${instance('control', 'ok', 'schedule: 300ms, timeout: 250ms')}` +
        // Loops for ten minutes, with a deadline far away: /healthz is asked while it loops.
        instance('long', 'busy', 'isolation: worker, schedule: 60s, timeout: 50s', `busyMs: 600000, startedFile: ${JSON.stringify(started)}`) +
        // Loops for ten minutes, with a deadline of 500 ms: each cycle is cut off and the next one runs.
        instance('cut', 'busy', 'isolation: worker, schedule: 1s, timeout: 500ms', 'busyMs: 600000') +
        instance('stray', 'stray-rejection', 'isolation: worker, schedule: 1s, timeout: 500ms') +
        instance('hog', 'hog', 'isolation: worker, workerMemoryMb: 32, schedule: 10s, timeout: 9s') +
        instance('wok', 'ok', 'isolation: worker, schedule: 300ms, timeout: 250ms, labels: { team: web }'),
    );
    const exporter = await start(file);
    const scrape = scrapeOf(exporter);
    assert.ok(await eventually(async () => existsSync(started), PATIENCE), exporter.output().slice(-3000));
    // The loop has begun and runs for minutes: the process answers, and its other instance cycles.
    const cycles = async () => sampleValue(await scrape(), 'fixture_misbehave_cycles_total', { collector: 'control' });
    const before = await cycles();
    assert.equal((await exporter.scrape('/healthz')).status, 200);
    assert.ok(await eventually(async () => (await cycles()) >= before + 3, PATIENCE), 'the in-process instance kept cycling');
    const status = async () =>
      ((await (await fetch(`${exporter.url}/api/status`)).json()) as { instances: { name: string; running: boolean; history: { reason?: string }[] }[] }).instances;
    assert.equal((await status()).find((i) => i.name === 'long')?.running, true, 'the long loop was still running all along');
    // The cut-off loop: timeout after timeout, never overrun (the worker is gone at each deadline).
    assert.ok(
      await eventually(async () => sampleValue(await scrape(), 'muster_collector_runs_total', { collector: 'cut', result: 'failure' }) >= 3, PATIENCE),
      exporter.output().slice(-3000),
    );
    const cut = (await status()).find((i) => i.name === 'cut');
    assert.ok(cut !== undefined && cut.history.length >= 3);
    assert.deepEqual([...new Set(cut.history.map((h) => h.reason))], ['timeout']);
    const p = await scrape();
    assert.ok(reasonIs(p, 'stray', 'unhandled'));
    assert.ok(sampleValue(p, 'muster_collector_unhandled_errors_total', { collector: 'stray' }) >= 1);
    assert.ok(await eventually(async () => reasonIs(await scrape(), 'hog', 'error'), PATIENCE));
    assert.match(exporter.output(), /"collector":"hog".*memory limit/);
    assert.equal(sampleValue(await scrape(), 'muster_collector_up', { collector: 'control' }), 1);
    // A well-behaved plugin in a worker: its series arrive with the instance's labels, one header per family.
    assert.ok(await eventually(async () => sampleValue(await scrape(), 'fixture_misbehave_cycles_total', { collector: 'wok', team: 'web' }) >= 3, PATIENCE));
    const body = (await exporter.scrape()).body;
    assert.equal(body.match(/^# HELP fixture_misbehave_cycles_total /gm)?.length, 1);
    const tool = requireTool('promtool');
    if (!('skip' in tool)) {
      const check = promtoolCheck(body);
      assert.equal(check.code, 0, check.output);
    }
    assert.equal(exporter.process.exitCode, null);
    assert.equal(await exporter.stop(), 0);
  });

  it('a timer started by a plugin module at import throws: blamed on the module, counted, and the process stays up', async () => {
    const file = writeConfig(`plugins:\n  - { name: mod, use: ${join(FIXTURES, 'module-timer.mjs')}, schedule: 300ms, timeout: 250ms }\n`);
    const exporter = await start(file);
    const scrape = scrapeOf(exporter);
    assert.ok(
      await eventually(async () => sampleValue(await scrape(), 'muster_unattributed_errors_total', { source: 'exception' }) === 1, PATIENCE),
      exporter.output().slice(-3000),
    );
    assert.match(exporter.output(), /"module":"[^"]*module-timer\.mjs".*unhandled error in a plugin module, outside any instance/);
    assert.doesNotMatch(exporter.output(), /bug in muster/);
    assert.equal(sampleValue(await scrape(), 'muster_collector_up', { collector: 'mod' }), 1);
    assert.equal(await exporter.stop(), 0);
  });

  it('an error outside any plugin: a rejection is counted and survived; an uncaught exception is a muster bug, said so, exit status 70', async () => {
    const file = writeConfig(`plugins:\n${instance('control', 'ok', 'schedule: 300ms, timeout: 250ms')}`);
    const preload = pathToFileURL(join(FIXTURES, 'bug-timer.mjs')).href;
    const exporter = await start(file, { env: { MUSTER_TEST_BUG_AFTER_MS: '3000', NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${preload}`.trim() } });
    assert.ok(
      await eventually(async () => {
        try {
          return sampleValue(await scrapeOf(exporter)(), 'muster_unattributed_errors_total', { source: 'rejection' }) === 1;
        } catch {
          return false;
        }
      }, PATIENCE),
      exporter.output().slice(-3000),
    );
    assert.equal(await exporter.exited(), 70);
    assert.match(exporter.output(), /unhandled rejection outside any plugin instance/);
    assert.match(exporter.output(), /uncaught exception outside any plugin instance: this is a bug in muster/);
  });

  it('hostile plugins: an unprintable rejection, process.exit/abort, clearing the process listeners, forged worker messages and a close() that never returns leave muster up and reloadable', async () => {
    const HOSTILE = join(FIXTURES, 'hostile.mjs');
    const hostile = (name: string, mode: string, extra = '') =>
      `  - { name: ${name}, use: ${HOSTILE}, schedule: 300ms, timeout: 250ms, selfMetrics: full, align: true${extra ? `, ${extra}` : ''}, config: { mode: ${mode}, secret: "\${HOSTILE_SECRET}" } }\n`;
    const text = (generation: number) =>
      `server:\n  reloadEndpoint: true\nplugins:\n${hostile('control', 'ok')}${hostile('evil', 'reject-evil')}${hostile('exits', 'exit')}${hostile('aborts', 'abort')}${hostile('clears', 'remove-all')}${hostile('forges', 'forge-level', 'isolation: worker')}${hostile('leaks', 'secret')}${hostile(`hangs${generation}`, 'hang-close')}`;
    const file = writeConfig(text(0));
    const exporter = await start(file, { env: { HOSTILE_SECRET: 'hunter2-secret-value' } });
    const scrape = scrapeOf(exporter);
    let last = '';
    assert.ok(
      await eventually(async () => {
        const p = await scrape();
        last = findSamples(p, 'muster_collector_failure_reason').filter((x) => x.value === 1).map((x) => JSON.stringify(x.labels)).join('\n');
        return reasonIs(p, 'evil', 'unhandled') && reasonIs(p, 'clears', 'error') && reasonIs(p, 'exits', 'error') && reasonIs(p, 'aborts', 'error') && reasonIs(p, 'forges', 'error') && sampleValue(p, 'muster_collector_unhandled_errors_total', { collector: 'leaks' }) >= 1;
      }, PATIENCE),
      last,
    );
    // The instance whose close() never returns is retired by a reload: the reload answers all the same.
    writeFileSync(file, text(1));
    const res = await fetch(`${exporter.url}/-/reload`, { method: 'POST', headers: { 'x-muster-reload': '1' } });
    assert.equal(res.status, 200);
    assert.ok(await eventually(async () => sampleValue(await scrape(), 'muster_collector_up', { collector: 'hangs1' }) === 1, PATIENCE));
    const p = await scrape();
    assert.equal(sampleValue(p, 'muster_collector_up', { collector: 'control' }), 1, 'the other instance is untouched');
    assert.equal(exporter.process.exitCode, null, 'still running');
    const out = exporter.output();
    assert.match(out, /process\.exit\(\); refused/);
    assert.match(out, /process\.abort\(\); refused/);
    assert.match(out, /removeAllListeners\(\); refused/);
    assert.match(out, /an unprintable/);
    assert.match(out, /a log line of an unknown level/);
    assert.match(out, /close\(\) did not finish in time/);
    assert.ok(!out.includes('hunter2-secret-value'), 'the secret in the error texts is redacted');
    assert.equal(await exporter.stop(), 0, 'shutdown does not wait for the close() that never returns');
  });

  it('50 reloads while worker cycles start and hang leave no worker thread behind (threads counted in /proc)', async (t) => {
    if (!existsSync('/proc/self/task')) return t.skip('SKIPPED: no /proc/PID/task on this system');
    const HOSTILE = join(FIXTURES, 'hostile.mjs');
    const text = (generation: number, workers = true) =>
      `server:\n  reloadEndpoint: true\nplugins:\n${
        workers
          ? `  - { name: w${generation}, use: ${HOSTILE}, schedule: 200ms, timeout: 150ms, isolation: worker, config: { mode: ok } }\n  - { name: hangs, use: ${HOSTILE}, schedule: 200ms, timeout: 150ms, isolation: worker, config: { mode: never } }\n`
          : `  - { name: plain, use: ${HOSTILE}, config: { mode: ok } }\n`
      }`;
    const file = writeConfig(text(0, false));
    const exporter = await start(file);
    const pid = exporter.process.pid as number;
    const threads = () => readdirSync(`/proc/${pid}/task`).filter((id) => readFileSync(`/proc/${pid}/task/${id}/comm`, 'utf8').trim() === 'WorkerThread').length;
    assert.equal(threads(), 0);
    for (let generation = 1; generation <= 50; generation++) {
      writeFileSync(file, text(generation));
      assert.equal((await fetch(`${exporter.url}/-/reload`, { method: 'POST', headers: { 'x-muster-reload': '1' } })).status, 200);
    }
    writeFileSync(file, text(0, false));
    assert.equal((await fetch(`${exporter.url}/-/reload`, { method: 'POST', headers: { 'x-muster-reload': '1' } })).status, 200);
    assert.ok(await eventually(async () => threads() === 0, PATIENCE), `worker threads left: ${threads()}`);
    assert.equal(exporter.process.exitCode, null);
  });
});
