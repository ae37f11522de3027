import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { requireTool } from '@muster/testing';
import { alertQueries, type Dashboard, dashboardQueries, dashboards, documentedMetrics, OTHER_METRICS } from './artifacts.js';
import { expandGrafanaVariables, metricNames } from './promql.js';

describe('Grafana dashboards', () => {
  it('are one per plugin family plus one for muster, with unique uids', () => {
    const all = dashboards();
    assert.deepEqual(all.map((d) => d.file), ['http-health.json', 'jenkins.json', 'muster.json', 'postgres.json', 'system.json']);
    assert.equal(new Set(all.map((d) => d.json.uid)).size, all.length);
  });

  for (const { file, json } of dashboards()) {
    it(`${file} is a well-formed dashboard`, () => {
      assert.ok(typeof json.title === 'string' && json.title.length > 0);
      assert.ok(json.schemaVersion >= 36);
      assert.ok(json.tags.includes('muster'));
      const variables = new Set((json.templating.list as Dashboard[]).map((v) => v.name));
      assert.ok(variables.has('datasource'), 'a data source variable, so the dashboard imports anywhere');
      const ids = new Set<number>();
      for (const panel of json.panels as Dashboard[]) {
        assert.ok(!ids.has(panel.id), `panel id ${panel.id} unique`);
        ids.add(panel.id);
        const { x, w, h } = panel.gridPos;
        assert.ok(x >= 0 && w > 0 && h > 0 && x + w <= 24, `${panel.title}: inside the 24-column grid`);
        if (panel.type === 'row') continue;
        assert.deepEqual(panel.datasource, { type: 'prometheus', uid: '${datasource}' }, `${panel.title}: the data source variable`);
        assert.ok(typeof panel.description === 'string' && panel.description.length > 0, `${panel.title}: a description`);
        const targets = panel.targets as Dashboard[];
        assert.ok(targets.length > 0, `${panel.title}: queries something`);
        assert.equal(new Set(targets.map((t) => t.refId)).size, targets.length, `${panel.title}: unique refIds`);
        for (const target of targets) {
          for (const used of String(target.expr).matchAll(/\$(?!__)([a-zA-Z_]\w*)/g)) {
            assert.ok(variables.has(used[1]!), `${panel.title}: $${used[1]} is a defined variable`);
          }
        }
      }
    });
  }
});

describe('metric names in dashboards and alert rules', () => {
  it('finds the metrics a PromQL expression reads', () => {
    assert.deepEqual(
      metricNames('sum by (collector, le) (rate(http_health_request_duration_seconds_bucket{job=~"$job", a="b{c}"}[$__rate_interval]))'),
      ['http_health_request_duration_seconds_bucket'],
    );
    assert.deepEqual(
      metricNames('(muster_collector_up == 0) * on (job, instance, collector) group_left (plugin) muster_collector_info{plugin="jenkins"} or vector(0)'),
      ['muster_collector_info', 'muster_collector_up'],
    );
    assert.deepEqual(metricNames('time() - x_seconds > 900 and x_seconds > 0'), ['x_seconds']);
  });

  it('every metric they read is documented: README tables of muster and its plugins, or prom-client and Prometheus', () => {
    const known = documentedMetrics();
    // The tables themselves were found.
    for (const name of ['muster_collector_up', 'http_health_status', 'jenkins_jobs', 'pg_up', 'system_cpu_usage_ratio', 'pg_ping_duration_seconds_bucket']) {
      assert.ok(known.has(name), `${name} documented`);
    }
    const unknown: string[] = [];
    for (const { where, expr } of [...dashboardQueries(), ...alertQueries()]) {
      const names = metricNames(expr);
      assert.ok(names.length > 0, `${where}: reads some metric`);
      for (const name of names) if (!known.has(name) && !OTHER_METRICS.has(name)) unknown.push(`${where}: ${name}`);
    }
    assert.deepEqual(unknown, []);
  });

  it('every dashboard query is valid PromQL (promtool check rules)', (t) => {
    const tool = requireTool('promtool', 'prometheus');
    if ('skip' in tool) return t.skip(tool.skip);
    const dir = mkdtempSync(join(tmpdir(), 'muster-dashboards-'));
    try {
      const queries = dashboardQueries();
      const rules = { groups: [{ name: 'dashboards', rules: queries.map((q, i) => ({ record: `dashboard:query:${i}`, expr: expandGrafanaVariables(q.expr) })) }] };
      writeFileSync(join(dir, 'rules.yaml'), stringify(rules));
      const result = spawnSync(tool.path, ['check', 'rules', join(dir, 'rules.yaml')], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
      assert.match(result.stdout, new RegExp(`SUCCESS: ${queries.length} rules found`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** muster's own series that only `selfMetrics: full` exports (docs/metrics.md). */
const FULL_ONLY = ['muster_collector_runs_total', 'muster_collector_unhandled_errors_total', 'muster_collector_stall_seconds_total'];

describe('series only selfMetrics: full exports', () => {
  it('no alert rule reads them: the shipped alerts work with the default selfMetrics: standard', () => {
    for (const q of alertQueries()) {
      const read = metricNames(q.expr).filter((n) => FULL_ONLY.includes(n));
      assert.deepEqual(read, [], `${q.where} reads ${read.join(', ')}`);
    }
  });

  it('a dashboard panel reading them says it needs selfMetrics: full', () => {
    for (const { file, json } of dashboards()) {
      for (const panel of json.panels as Dashboard[]) {
        const read = ((panel.targets ?? []) as Dashboard[]).flatMap((t) => metricNames(String(t.expr)).filter((n) => FULL_ONLY.includes(n)));
        if (read.length > 0) assert.match(String(panel.description), /selfMetrics: full/, `${file}: "${panel.title}" reads ${read.join(', ')}`);
      }
    }
  });
});
