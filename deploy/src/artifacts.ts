import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DEPLOY_DIR, REPO_ROOT } from './paths.js';

/** A PromQL expression found in a dashboard or an alert rule, and where. */
export interface Query {
  readonly where: string;
  readonly expr: string;
}

// biome-ignore lint/suspicious/noExplicitAny: dashboards are untyped JSON
export type Dashboard = Record<string, any>;

export const GRAFANA_DIR = join(DEPLOY_DIR, 'grafana');
export const PROMETHEUS_DIR = join(DEPLOY_DIR, 'prometheus');

export function dashboards(): { file: string; json: Dashboard }[] {
  return readdirSync(GRAFANA_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, json: JSON.parse(readFileSync(join(GRAFANA_DIR, file), 'utf8')) as Dashboard }));
}

/** Every panel's and every templating variable's query. */
export function dashboardQueries(): Query[] {
  const found: Query[] = [];
  for (const { file, json } of dashboards()) {
    for (const panel of json.panels as Dashboard[]) {
      for (const target of (panel.targets ?? []) as Dashboard[]) found.push({ where: `${file}: "${panel.title}" ${target.refId}`, expr: target.expr });
    }
    for (const variable of json.templating.list as Dashboard[]) {
      const query = typeof variable.query === 'object' ? variable.query.query : undefined;
      const values = typeof query === 'string' ? /^label_values\((.*),\s*\w+\)$/.exec(query) : null;
      if (values?.[1] !== undefined) found.push({ where: `${file}: variable ${variable.name}`, expr: values[1] });
    }
  }
  return found;
}

/** Every alert rule's expression. */
export function alertQueries(): Query[] {
  const rules = parse(readFileSync(join(PROMETHEUS_DIR, 'alerts.yaml'), 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] };
  return rules.groups.flatMap((g) => g.rules.map((r) => ({ where: `alerts.yaml: ${r.alert}`, expr: r.expr })));
}

/**
 * The metrics muster documents: the tables of its own metrics (README.md) and of every plugin
 * (plugins/<name>/README.md, under "## Metrics"): the first column of the tables in sections
 * whose heading says "metrics", histograms with their series suffixes.
 */
export function documentedMetrics(): Set<string> {
  const names = new Set<string>();
  const readmes = [join(REPO_ROOT, 'README.md'), ...readdirSync(join(REPO_ROOT, 'plugins')).map((p) => join(REPO_ROOT, 'plugins', p, 'README.md'))];
  for (const file of readmes) {
    let inMetrics = false;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const heading = /^#{2,4} (.*)$/.exec(line);
      if (heading !== null) inMetrics = /metrics/i.test(heading[1] ?? '');
      if (!inMetrics) continue;
      const row = /^\| `([a-z_:][a-z0-9_:]*)` \| ([^|]+)\|/.exec(line);
      if (row === null) continue;
      const [, name, type] = row as unknown as [string, string, string];
      names.add(name);
      if (/histogram|summary/.test(type)) for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
    }
  }
  return names;
}

/** Metrics that are not muster's own but that dashboards may read. */
export const OTHER_METRICS = new Set([
  // Prometheus: whether the scrape worked.
  'up',
  // prom-client's default metrics, which muster serves beside its own (README: "plus prom-client's process_* and nodejs_* metrics").
  'process_resident_memory_bytes',
  'process_cpu_seconds_total',
  'nodejs_eventloop_lag_p99_seconds',
]);
