import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type JenkinsSimulator, type SimItem, startJenkinsSimulator } from '@muster/jenkins-simulator';
import { eventually, findSamples, freePort, type ParsedExposition, parseExposition, promtoolCheck, requireTool } from '@muster/testing';
import { type PostgresServer, startPostgres } from '@muster/testing-postgres';
import { writeConfig } from './testing/config-file.js';
import { type Exporter, startExporter } from './testing/exporter-process.js';
import { type TestServer, testServer } from './testing/http-backend.js';
import { FIXTURES } from './testing/paths.js';
import { startPrometheus, type Vector } from './testing/prometheus.js';
import { runCli } from './testing/run-cli.js';

/**
 * Label values that break naive exposition writers and readers, through every plugin path that
 * puts outside text into a label value: http-health and postgres instance `labels`, Jenkins job
 * names (`perJobMetrics`, label `job`) and top-level folder names (`byFolder`, label `folder`),
 * and the items fixture's keys (label `item`). The exposition must escape them so that
 * `promtool check metrics` passes and a real Prometheus, scraping in both formats, stores the
 * exact values.
 */

/** Instance label values (http-health, postgres): every character class at once. */
const LABELS: Readonly<Record<string, string>> = {
  quote: 'say "hi"',
  backslash: 'C:\\temp\\new',
  newline: 'line one\nline two',
  tab: 'col1\tcol2',
  unicode: 'Grüße 🚀 日本語 עברית é',
  braces: 'a}b{c=d,e',
  mixed: '\\"\n\t\\n',
  empty: '',
};

/**
 * Jenkins item names. Real Jenkins (`Jenkins.checkGoodName`) refuses control characters and
 * `? * / \ % ! @ # $ ^ & | < > [ ] : ;` in names, and allows quotes, spaces, unicode, braces,
 * commas and `=`: those go through as Jenkins would serve them. The simulator accepts any name
 * without `/`: a backslash and a tab go through too, as what a Jenkins that allowed them would serve.
 */
const JENKINS_ALLOWED = ['say "hi"', "it's", 'Grüße 🚀 日本語', 'two  spaces', 'a}b{c=d,e'];
const JENKINS_BEYOND = ['back\\slash', 'tab\there'];
const FOLDER_ALLOWED = 'team "α"';
const FOLDER_BEYOND = 'dir\\x\ty';
const NESTED_JOB = 'deploy "prod"';

/** Keys of the items fixture's JSON: anything JSON can carry. */
const ITEM_KEYS = ['say "hi"', 'C:\\temp', 'line one\nline two', 'col1\tcol2', 'Grüße 🚀', 'a}b{c=d,e', '\\n is not a newline', ''];

const build = { lastBuild: { number: 1, result: 'SUCCESS' as const, duration: 1_000, timestamp: 1_735_689_600_000 } };
const job = (name: string): SimItem => ({ name, kind: 'freestyle', ...build });
const TREE: SimItem[] = [
  ...[...JENKINS_ALLOWED, ...JENKINS_BEYOND].map(job),
  { name: FOLDER_ALLOWED, kind: 'folder', children: [job(NESTED_JOB)] },
  { name: FOLDER_BEYOND, kind: 'folder', children: [job('inner')] },
];
const JOB_NAMES = [...JENKINS_ALLOWED, ...JENKINS_BEYOND, `${FOLDER_ALLOWED}/${NESTED_JOB}`, `${FOLDER_BEYOND}/inner`];


/** Prometheus 2.42's Accept header: it asks for OpenMetrics first. */
const PROMETHEUS_ACCEPT = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

describe('exposition correctness of odd label values through every plugin path', { timeout: 90_000 }, () => {
  let items: TestServer;
  let web: TestServer;
  let sim: JenkinsSimulator;
  let pg: PostgresServer;
  let exporter: Exporter;
  let textProxy: Server | undefined;
  let prometheus: ChildProcess | undefined;
  let prometheusLog = '';

  before(async () => {
    items = await testServer((_req, res) => res.end(JSON.stringify(Object.fromEntries(ITEM_KEYS.map((k, i) => [k, i + 1])))));
    web = await testServer((_req, res) => res.end('ok'));
    sim = await startJenkinsSimulator({ tree: TREE });
    pg = await startPostgres();
    // JSON is YAML: every value below is written as a JSON string, escapes included.
    const labels = JSON.stringify(LABELS);
    const config = writeConfig(`defaults: { schedule: 1s, timeout: 900ms, align: true }
plugins:
  - { name: web, use: http-health, labels: ${labels}, config: { url: "${web.url}/" } }
  - { name: db, use: postgres, labels: ${labels}, config: { host: 127.0.0.1, port: ${pg.port}, user: postgres, password: "\${file:pg-password}" } }
  - { name: ci, use: jenkins, config: { url: "${sim.url}", byFolder: true, queue: false, computers: false, perJobMetrics: { enabled: true } } }
  - { name: items, use: ${join(FIXTURES, 'items.mjs')}, config: { url: "${items.url}/" } }
`);
    writeFileSync(join(dirname(config), 'pg-password'), `${pg.password}\n`);
    exporter = await startExporter(config);
    assert.ok(await eventually(async () => (await exporter.scrape('/readyz')).status === 200, 10_000), 'every instance ran once');
  });

  after(async () => {
    prometheus?.kill('SIGTERM');
    await new Promise((resolve) => (textProxy === undefined ? resolve(undefined) : textProxy.close(resolve)));
    await exporter?.stop();
    await Promise.all([items?.stop(), web?.stop(), sim?.close(), pg?.close()]);
  });

  /** What each path should have put in its labels, as read back from a parsed exposition or from Prometheus. */
  /** `emptyIsAbsent`: Prometheus stores an empty label value as no label. */
  function expectExact(
    read: (metric: string, match: Record<string, string>) => Record<string, string>[],
    where: string,
    { emptyIsAbsent }: { emptyIsAbsent: boolean },
  ): void {
    for (const [collector, metric] of [
      ['web', 'http_health_status'],
      ['db', 'pg_up'],
    ] as const) {
      const series = read(metric, { collector, ...(metric === 'http_health_status' ? { http_health_status: 'healthy' } : {}) });
      assert.equal(series.length, 1, `${where}: one ${metric} series of ${collector}`);
      const got = series[0] as Record<string, string>;
      for (const [name, value] of Object.entries(LABELS)) {
        if (value === '' && emptyIsAbsent) assert.equal(got[name], undefined, `${where}: ${collector} ${name} (empty is no label)`);
        else assert.equal(got[name], value, `${where}: ${collector} label ${name}`);
      }
    }
    const jobs = read('jenkins_job_last_build_result', { collector: 'ci' }).map((l) => l.jenkins_job);
    assert.deepEqual([...jobs].sort(), [...JOB_NAMES].sort(), `${where}: per-job label values`);
    const folders = new Set(read('jenkins_jobs', { collector: 'ci' }).map((l) => l.folder));
    assert.deepEqual([...folders].sort(), [emptyIsAbsent ? undefined : '', FOLDER_ALLOWED, FOLDER_BEYOND].sort(), `${where}: folder label values (root jobs: empty)`);
    const keys = read('fixture_item_value', { collector: 'items' }).map((l) => l.item);
    assert.deepEqual([...keys].sort(), ITEM_KEYS.map((k) => (k === '' && emptyIsAbsent ? undefined : k)).sort(), `${where}: item label values`);
  }

  const fromExposition = (parsed: ParsedExposition) => (metric: string, match: Record<string, string>) =>
    findSamples(parsed, metric, match).map((s) => ({ ...s.labels }));

  it('text format: escaped as the format says, read back exactly, and promtool check metrics passes', async (t) => {
    const { body, headers } = await exporter.scrape();
    assert.match(headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const line = body.split('\n').find((l) => l.startsWith('http_health_status{collector="web"') && l.includes('"healthy"')) ?? '';
    // Backslash, quote and newline escaped; tab and unicode as they are; the empty value kept.
    assert.ok(line.includes('quote="say \\"hi\\""'), line);
    assert.ok(line.includes('backslash="C:\\\\temp\\\\new"'), line);
    assert.ok(line.includes('newline="line one\\nline two"'), line);
    assert.ok(line.includes('tab="col1\tcol2"'), line);
    assert.ok(line.includes('unicode="Grüße 🚀 日本語 עברית é"'), line);
    assert.ok(line.includes('mixed="\\\\\\"\\n\t\\\\n"'), line);
    assert.ok(line.includes('empty=""'), line);
    const parsed = parseExposition(body);
    assert.deepEqual(parsed.problems, []);
    expectExact(fromExposition(parsed), 'text exposition', { emptyIsAbsent: false });
    const tool = requireTool('promtool');
    if ('skip' in tool) return t.skip(tool.skip);
    const check = promtoolCheck(body);
    assert.equal(check.code, 0, check.output);
  });

  it('OpenMetrics: read back exactly, and what Prometheus asks for', async () => {
    const { body, headers } = await exporter.scrape('/metrics', { accept: PROMETHEUS_ACCEPT });
    assert.match(headers.get('content-type') ?? '', /^application\/openmetrics-text; version=1\.0\.0/);
    assert.ok(body.endsWith('# EOF\n'));
    const parsed = parseExposition(body);
    assert.deepEqual(parsed.problems, []);
    expectExact(fromExposition(parsed), 'OpenMetrics exposition', { emptyIsAbsent: false });
  });

  it('a real Prometheus stores the exact values, scraping OpenMetrics and text', async (t) => {
    const tool = requireTool('prometheus');
    if ('skip' in tool) return t.skip(tool.skip);
    // The text job goes through a proxy that asks muster for text only (Prometheus 2.42 cannot be told to).
    textProxy = createServer((req, res) => {
      const upstream = request({ host: '127.0.0.1', port: exporter.port, path: req.url, headers: { accept: 'text/plain;version=0.0.4' } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      upstream.end();
    });
    await new Promise<void>((resolve) => textProxy?.listen(0, '127.0.0.1', resolve));
    const proxyPort = (textProxy.address() as AddressInfo).port;
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'muster-prom-labels-'));
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\nscrape_configs:\n` +
        `  - job_name: muster-om\n    static_configs:\n      - targets: ["127.0.0.1:${exporter.port}"]\n` +
        `  - job_name: muster-text\n    static_configs:\n      - targets: ["127.0.0.1:${proxyPort}"]\n`,
    );
    const started = startPrometheus(tool.path, dir, port, (text) => {
      prometheusLog += text;
    });
    prometheus = started.process;
    const query = started.query;
    const bothUp = async () => (await query('up == 1')).length === 2 && (await query('fixture_item_value')).length === 2 * ITEM_KEYS.length;
    assert.ok(await eventually(bothUp, 25_000, 250), `both jobs scraped successfully; Prometheus' log:\n${prometheusLog.slice(-2000)}`);
    for (const job of ['muster-om', 'muster-text']) {
      const snapshot = new Map<string, Vector[]>();
      for (const metric of ['http_health_status', 'pg_up', 'jenkins_job_last_build_result', 'jenkins_jobs', 'fixture_item_value']) {
        snapshot.set(metric, await query(`${metric}{job="${job}"}`));
      }
      const read = (metric: string, match: Record<string, string>) =>
        (snapshot.get(metric) ?? []).map((v) => v.metric).filter((labels) => Object.entries(match).every(([k, v]) => labels[k] === v));
      expectExact(read, `Prometheus, job ${job}`, { emptyIsAbsent: true });
      assert.ok(
        (snapshot.get('jenkins_job_last_build_result') ?? []).every((v) => v.metric.job === job),
        'Prometheus put its own job label on the per-job series',
      );
    }
    assert.doesNotMatch(prometheusLog, /level=(warn|error).*(scrape|append)/i, 'no scrape or append warnings');
  });

  it(
    'jenkins: per-job series name the Jenkins job in a label other than "job"',
    async () => {
      const { body } = await exporter.scrape('/metrics?collector=ci');
      const perJob = findSamples(parseExposition(body), 'jenkins_job_last_build_result');
      assert.ok(perJob.length > 0);
      assert.ok(perJob.every((s) => s.labels.job === undefined && s.labels.instance === undefined));
    },
  );

  it(
    'jenkins: a job whose name holds a newline is counted',
    async () => {
      const odd = await startJenkinsSimulator({ tree: [job('plain'), job('new\nline')] });
      try {
        const config = writeConfig(`plugins:\n  - { name: ci, use: jenkins, config: { url: "${odd.url}", queue: false, computers: false, perJobMetrics: { enabled: true } } }\n`);
        const { code, stdout } = await runCli(['once', '--config', config]);
        assert.equal(code, 0);
        const parsed = parseExposition(stdout);
        assert.equal(findSamples(parsed, 'jenkins_jobs').reduce((n, s) => n + s.value, 0), 2);
        assert.deepEqual(findSamples(parsed, 'jenkins_job_last_build_result').map((s) => s.labels.jenkins_job).sort(), ['new\nline', 'plain']);
      } finally {
        await odd.close();
      }
    },
  );
});
