import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type JenkinsSimulator, startJenkinsSimulator } from '@muster/jenkins-simulator';
import { type PostgresServer, startPostgres } from '@muster/testing-postgres';
import { eventually, freePort, requireTool } from '@muster/testing';
import { writeConfig } from './testing/config-file.js';
import { type Exporter, startExporter } from './testing/exporter-process.js';
import { type TestServer, testServer } from './testing/http-backend.js';
import { startPrometheus } from './testing/prometheus.js';

/**
 * Prometheus' file_sd names the targets, the usual relabelling turns each into
 * /probe?module=M&target=T with instance=T: muster holds only the modules.
 */
describe('a real Prometheus probing many targets through /probe', { timeout: 300_000 }, () => {
  let exporter: Exporter | undefined;
  let prometheus: ChildProcess | undefined;
  let backend: TestServer | undefined;
  let pgUp: PostgresServer | undefined;
  let pgDown: PostgresServer | undefined;
  let sim: JenkinsSimulator | undefined;
  let logs = '';

  after(async () => {
    prometheus?.kill('SIGTERM');
    await exporter?.stop();
    await backend?.stop();
    await pgUp?.stop();
    await pgDown?.stop();
    await sim?.close();
  });

  it('stores each target under instance=<target>, healthy and failing alike', async (t) => {
    const tool = requireTool('prometheus');
    if ('skip' in tool) return t.skip(tool.skip);
    backend = await testServer((req, res) => {
      res.statusCode = req.url === '/ok' ? 200 : 404;
      res.end(req.url === '/ok' ? 'ok' : 'not found');
    });
    [pgUp, pgDown] = await Promise.all([startPostgres(), startPostgres()]);
    await pgDown.stop();
    const token = 'jenkins-probe-token-4242';
    sim = await startJenkinsSimulator({ generate: { folders: 2, depth: 2, jobsPerFolder: 2, multibranch: 1, rootJobs: 1, seed: 3 }, auth: { username: 'muster', token } });

    const config = writeConfig(`modules:
  web:
    use: http-health
  pg:
    use: postgres
    config: { user: postgres, password: "\${file:./pg-password}" }
    allowedTargets: ['127\\.0\\.0\\.1:\\d+/postgres']
  ci:
    use: jenkins
    config: { username: muster, token: "\${file:./jenkins-token}" }
    allowedTargets: ['http://127\\.0\\.0\\.1:\\d+/?']
`);
    writeFileSync(join(dirname(config), 'pg-password'), `${pgUp.password}\n`);
    writeFileSync(join(dirname(config), 'jenkins-token'), `${token}\n`);
    exporter = await startExporter(config);

    const targets = {
      web: [`${backend.url}/ok`, `${backend.url}/missing`],
      pg: [`127.0.0.1:${pgUp.port}/postgres`, `127.0.0.1:${pgDown.port}/postgres`],
      ci: [sim.url],
    };
    const dir = mkdtempSync(join(tmpdir(), 'muster-prom-probe-'));
    writeFileSync(join(dir, 'targets.json'), JSON.stringify(Object.entries(targets).map(([module, list]) => ({ targets: list, labels: { module } }))));
    const port = await freePort();
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:
  scrape_interval: 2s
  scrape_timeout: 1500ms
scrape_configs:
  - job_name: muster-probe
    metrics_path: /probe
    file_sd_configs:
      - files: ["${join(dir, 'targets.json')}"]
        refresh_interval: 1s
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [module]
        target_label: __param_module
      - source_labels: [__param_target]
        target_label: instance
      - target_label: __address__
        replacement: 127.0.0.1:${exporter.port}
`,
    );
    const started = startPrometheus(tool.path, dir, port, (text) => {
      logs += text;
    });
    prometheus = started.process;
    const query = started.query;
    const all = Object.values(targets).flat();
    const scraped = await eventually(async () => (await query('up{job="muster-probe"} == 1')).length === all.length, 60_000, 500);
    assert.ok(scraped, `every target scraped with up=1 (a failing target is still a 200); Prometheus' log:\n${logs.slice(-2000)}\nmuster:\n${exporter.output().slice(-2000)}`);
    assert.ok(await eventually(async () => (await query('muster_probe_success')).length === all.length, 30_000, 500));

    const success = new Map((await query('muster_probe_success')).map((v) => [v.metric.instance, v.value[1]]));
    assert.deepEqual(Object.fromEntries(success), {
      [`${backend.url}/ok`]: '1',
      [`${backend.url}/missing`]: '0',
      [`127.0.0.1:${pgUp.port}/postgres`]: '1',
      [`127.0.0.1:${pgDown.port}/postgres`]: '0',
      [sim.url]: '1',
    });
    const reasons = new Map((await query('muster_probe_failure_reason')).map((v) => [v.metric.instance, v.metric.reason]));
    assert.equal(reasons.get(`${backend.url}/missing`), 'status-404');
    assert.equal(reasons.get(`127.0.0.1:${pgDown.port}/postgres`), 'connection-refused');
    // The plugins' own series, under the target's instance and without a collector label of muster's.
    const pg = await query('pg_up');
    assert.deepEqual(Object.fromEntries(pg.map((v) => [v.metric.instance, v.value[1]])), {
      [`127.0.0.1:${pgUp.port}/postgres`]: '1',
      [`127.0.0.1:${pgDown.port}/postgres`]: '0',
    });
    assert.ok(pg.every((v) => v.metric.collector === undefined && v.metric.module === 'pg'));
    const jobs = await query(`sum(jenkins_jobs{instance="${sim.url}"})`);
    assert.ok(Number(jobs[0]?.value[1]) > 0, 'the Jenkins job counts arrived');
    const status = await query(`http_health_status_code{instance="${backend.url}/missing"}`);
    assert.equal(status[0]?.value[1], '404');
    // One pool per target, kept between scrapes: several pings, one connection opened.
    const upTarget = `127.0.0.1:${pgUp.port}/postgres`;
    assert.ok(await eventually(async () => Number((await query(`pg_pings_total{instance="${upTarget}",result="up"}`))[0]?.value[1]) >= 3, 30_000, 500));
    const opened = await query(`pg_connections_opened_total{instance="${upTarget}"}`);
    assert.equal(opened[0]?.value[1], '1', 'no pool per scrape');
    // The probe's cache holds exactly the five targets.
    const api = JSON.parse((await exporter.scrape('/api/status')).body) as { modules: { name: string; targets: number }[] };
    assert.deepEqual(Object.fromEntries(api.modules.map((m) => [m.name, m.targets])), { web: 2, pg: 2, ci: 1 });
  });
});
