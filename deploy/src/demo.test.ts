import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findSamples, freePort, parseExposition, requireTool } from '@muster/testing';
import { alertQueries, dashboardQueries } from './artifacts.js';
import { metricNames } from './promql.js';
import { watchVerdictFlip } from './watch-status-page.js';

const DEMO = fileURLToPath(new URL('./demo/main.js', import.meta.url));

/** Whether something accepts TCP connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('pnpm demo', { timeout: 180_000 }, () => {
  it('runs every plugin against its backends, serves the metrics the dashboards read, and stops everything on SIGINT', async (t) => {
    const port = await freePort();
    const started = performance.now();
    const child = spawn(process.execPath, [DEMO, '--port', String(port), '--flip-seconds', '3'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 120_000;
      while (!/^demo: ready$/m.test(out)) {
        assert.equal(child.exitCode, null, `the demo exited early:\n${out}`);
        assert.ok(Date.now() < deadline, `not ready within 120 s:\n${out}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      t.diagnostic(`ready in ${Math.round(performance.now() - started)} ms`);
      // It printed where everything is.
      const base = `http://127.0.0.1:${port}`;
      assert.ok(out.includes(`${base}/metrics`));
      const ports = [...out.matchAll(/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1])).filter((p) => p !== port);
      assert.equal(new Set(ports).size, 3, `Jenkins, PostgreSQL and the flaky endpoint printed:\n${out}`);

      const body = await (await fetch(`${base}/metrics`)).text();
      const parsed = parseExposition(body);
      assert.deepEqual(parsed.problems, []);
      const up = Object.fromEntries(findSamples(parsed, 'muster_collector_up').map((s) => [s.labels.collector, s.value]));
      assert.deepEqual(up, { 'flaky-web': 1, 'muster-self': 1, ci: 1, 'shop-db': 1, host: 1 });
      assert.equal(findSamples(parsed, 'pg_up', { collector: 'shop-db' })[0]?.value, 1);
      assert.ok(findSamples(parsed, 'jenkins_jobs', { collector: 'ci' }).reduce((n, s) => n + s.value, 0) > 0);
      assert.ok((findSamples(parsed, 'system_cpus', { collector: 'host' })[0]?.value ?? 0) > 0);

      // Every metric a dashboard or an alert reads is really there (`up` is Prometheus' own).
      const present = new Set(parsed.families.flatMap((f) => [f.name, ...f.samples.map((s) => s.name)]));
      const missing = [...dashboardQueries(), ...alertQueries()].flatMap((q) => metricNames(q.expr).filter((n) => n !== 'up' && !present.has(n)).map((n) => `${q.where}: ${n}`));
      assert.deepEqual(missing, []);
      const promtool = requireTool('promtool', 'prometheus');
      if (!('skip' in promtool)) {
        const check = spawnSync(promtool.path, ['check', 'metrics'], { input: body, encoding: 'utf8' });
        assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);
      }

      // The flaky endpoint flips, and muster sees both states.
      const seen = new Set<number>();
      const flipDeadline = Date.now() + 40_000;
      while (seen.size < 2 && Date.now() < flipDeadline) {
        const p = parseExposition(await (await fetch(`${base}/metrics`)).text());
        const healthy = findSamples(p, 'http_health_status', { collector: 'flaky-web', http_health_status: 'healthy' })[0]?.value;
        if (healthy !== undefined) seen.add(healthy);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      assert.deepEqual([...seen].sort(), [0, 1], 'flaky-web seen healthy and unhealthy');

      // The status page shows the flip too: the backend's verdict first, the row red, counted on top.
      const chromium = requireTool('chromium');
      if (!('skip' in chromium)) {
        const flip = await watchVerdictFlip(chromium.path, `${base}/`, 'flaky-web', 40_000);
        assert.ok(flip.verdicts.includes('healthy') && flip.verdicts.includes('unhealthy'), `verdicts seen: ${flip.verdicts.join(' → ')}`);
        assert.match(flip.unhealthyStateText ?? '', /^✕ backend unhealthy: status-503 ● collector up/);
        assert.match(flip.unhealthySummary ?? '', /^1 backend unhealthy · 5 instances, 5 up, 0 down/);
        assert.equal(flip.unhealthyRowColor, 'rgb(253, 240, 239)', 'the row turns red');
      }

      // Ctrl-C stops muster and every backend, and the demo exits 0.
      const stopping = performance.now();
      child.kill('SIGINT');
      assert.equal(await exited, 0, out);
      t.diagnostic(`stopped in ${Math.round(performance.now() - stopping)} ms`);
      assert.match(out, /^demo: stopped$/m);
      for (const p of [port, ...ports]) assert.equal(await listening(p), false, `nothing listens on ${p} any more`);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses a bad option', () => {
    const result = spawnSync(process.execPath, [DEMO, '--port', 'x'], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--port: expected a port number, found "x"/);
  });
});
