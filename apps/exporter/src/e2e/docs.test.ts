import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FAILURE_REASONS } from '@muster/core';
import { FAILURE_REASONS as HTTP_HEALTH_REASONS } from '@muster/plugin-http-health';
import { FAILURE_REASONS as POSTGRES_REASONS } from '@muster/plugin-postgres';
import { freePort, parseExposition } from '@muster/testing';
import { exposedFamilies, generatedDocs, outOfDate } from '../reference/generate.js';
import { writeConfig } from './testing/config-file.js';
import { type TestServer, testServer } from './testing/http-backend.js';
import { REPO_ROOT } from './testing/paths.js';
import { runCli } from './testing/run-cli.js';

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');

/** Where two texts first differ, as a hint: line number, expected and committed line. */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `first difference at line ${i + 1}:\n  generated: ${a[i] ?? '(end of file)'}\n  committed: ${b[i] ?? '(end of file)'}`;
  }
  return 'same lines (line endings differ?)';
}

/** The rows of the metrics table of a page (its first table after a metrics heading): metric name → its row. */
function metricRows(page: string): Map<string, string> {
  const rows = new Map<string, string>();
  const start = page.search(/^(## Metrics|\| metric \|)/m);
  const end = page.indexOf('\n## ', start + 1);
  for (const line of page.slice(start, end === -1 ? undefined : end).split('\n')) {
    const m = /^\| `([a-z_:][a-z0-9_:]*)` \| /.exec(line);
    if (m !== null) rows.set(m[1] as string, line);
  }
  return rows;
}

describe('generated docs', () => {
  let files: Map<string, string>;

  before(async () => {
    files = await generatedDocs();
  });

  it('are up to date with the schemas and metric declarations', () => {
    const problems = outOfDate(files);
    const hints = problems.map((p) => {
      const path = p.split(' ')[0] as string;
      const full = join(REPO_ROOT, path);
      const generated = files.get(path);
      return generated !== undefined && existsSync(full) ? `${p}\n${firstDifference(generated, readFileSync(full, 'utf8'))}` : p;
    });
    assert.deepEqual(hints, [], `${hints.join('\n')}\nrun \`pnpm build && pnpm --filter @muster/exporter run docs\` and commit the result`);
  });

  it('have one page per plugin `muster plugins` lists, linked from the configuration reference', async () => {
    const { code, stdout } = await runCli(['plugins']);
    assert.equal(code, 0);
    const listed = stdout.split('\n').filter((l) => l.trim() !== '').map((l) => l.split(/\s+/)[0] as string);
    assert.ok(listed.length >= 4);
    const pages = [...files.keys()].filter((p) => p.startsWith('docs/plugins/')).map((p) => p.slice('docs/plugins/'.length, -'.md'.length));
    assert.deepEqual(pages.sort(), [...listed].sort());
    const configuration = read('docs/configuration.md');
    for (const name of listed) assert.ok(configuration.includes(`(plugins/${name}.md)`), `configuration.md links ${name}`);
  });

  it('document every option of every plugin schema', () => {
    for (const [name, required] of [
      ['http-health', ['url', 'method', 'tls.ca', 'tls.insecureSkipVerify', 'buckets']],
      ['jenkins', ['url', 'folders.include', 'perJobMetrics.maxJobs', 'maxBodyBytes']],
      ['postgres', ['connectionString', 'pool.idleTimeout', 'tls.servername', 'query']],
      ['system', ['perCpu', 'memory', 'load']],
    ] as const) {
      const page = read(`docs/plugins/${name}.md`);
      for (const option of required) assert.ok(page.includes(`| \`${option}\` |`), `${name}: ${option}`);
    }
    const configuration = read('docs/configuration.md');
    for (const key of ['server.port', 'server.metricsPath', 'defaults.onFailure', 'schedule', 'maxSeries', 'config']) {
      assert.ok(configuration.includes(`| \`${key}\` |`), key);
    }
  });
});

describe('docs against what muster really exports', () => {
  let site: TestServer;
  let exposition: string;

  before(async () => {
    site = await testServer((_req, res) => res.end('ok'));
    const file = writeConfig(`plugins:
  - { name: host, use: system, config: { perCpu: true } }
  - { name: site, use: http-health, selfMetrics: full, config: { url: "${site.url}/" } }
  - { name: gone, use: http-health, config: { url: "http://127.0.0.1:${await freePort()}/" } }
modules:
  web: { use: http-health }
`);
    // site exports the full set of muster's own metrics, which docs/metrics.md lists whole.
    const once = await runCli(['once', '--config', file]);
    assert.equal(once.code, 0, once.stderr);
    exposition = once.stdout;
    assert.deepEqual(parseExposition(exposition).problems, []);
  });
  after(async () => {
    await site.stop();
  });

  it('every exported family is documented on its plugin page or on the self-metrics page, and the other way round', () => {
    const families = exposedFamilies(exposition).map((f) => f.name);
    const pages: [RegExp, string][] = [
      [/^system_/, 'docs/plugins/system.md'],
      [/^http_health_/, 'docs/plugins/http-health.md'],
      [/^muster_/, 'docs/metrics.md'],
    ];
    for (const family of families) {
      // prom-client's process metrics are documented by prefix.
      if (/^(process|nodejs)_/.test(family)) {
        assert.ok(read('docs/metrics.md').includes(`\`${family.split('_')[0]}_*\``), family);
        continue;
      }
      const page = pages.find(([prefix]) => prefix.test(family));
      assert.ok(page !== undefined, `no docs page for ${family}`);
      assert.ok(read(page[1]).includes(`\`${family}\``), `${family} is not in ${page[1]}`);
    }
    // Metrics the pages document without conditions are exported by default (perCpu adds one).
    for (const [, path] of pages.slice(0, 2)) {
      for (const [metric, row] of metricRows(read(path))) {
        if (!row.includes('Only with')) assert.ok(families.includes(metric), `${path} documents ${metric}, which was not exported`);
      }
    }
    for (const metric of metricRows(read('docs/metrics.md')).keys()) assert.ok(families.includes(metric), `docs/metrics.md: ${metric}`);
  });
});

describe('troubleshooting', () => {
  const page = read('docs/troubleshooting.md');
  const headings = new Set(page.split('\n').filter((l) => l.startsWith('### ')));

  it('has a section for every failure reason of a cycle, indexed at the top', () => {
    for (const reason of FAILURE_REASONS) {
      assert.ok(headings.has(`### \`${reason}\``), `no section for ${reason}`);
      assert.ok(page.includes(`| \`${reason}\` | cycle | [${reason}](#${reason}) |`), `${reason} missing from the index`);
    }
  });

  it('has a section for every reason the http-health and postgres plugins report', () => {
    for (const [plugin, reasons] of [
      ['http-health', HTTP_HEALTH_REASONS],
      ['postgres', POSTGRES_REASONS],
    ] as const) {
      for (const reason of reasons.filter((r) => r !== 'none')) {
        assert.ok(headings.has(`### ${plugin}: \`${reason}\``), `no section for ${plugin} ${reason}`);
      }
    }
  });
});

describe('links in the docs', () => {
  it('point at files that exist', () => {
    const pages = ['docs/README.md', 'docs/getting-started.md', 'docs/configuration.md', 'docs/metrics.md', 'docs/operations.md', 'docs/troubleshooting.md'];
    for (const name of ['http-health', 'jenkins', 'postgres', 'system']) pages.push(`docs/plugins/${name}.md`);
    for (const page of pages) {
      for (const m of read(page).matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
        const target = m[1] as string;
        if (/^[a-z]+:/.test(target)) continue;
        assert.ok(existsSync(resolve(dirname(join(REPO_ROOT, page)), target)), `${page} links ${target}, which does not exist`);
      }
    }
  });
});
