import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { eventually, freePort, requireTool } from '@muster/testing';
import { writeConfig } from './testing/config-file.js';
import { type Exporter, startExporter } from './testing/exporter-process.js';
import { type TestServer, testServer } from './testing/http-backend.js';
import { FIXTURES } from './testing/paths.js';
import { startPrometheus } from './testing/prometheus.js';

describe('a real Prometheus scraping muster', () => {
  let exporter: Exporter | undefined;
  let prometheus: ChildProcess | undefined;
  let backend: TestServer | undefined;
  let logs = '';

  after(async () => {
    prometheus?.kill('SIGTERM');
    await exporter?.stop();
    await backend?.stop();
  });

  it('scrapes every instance, stores exact label values, and sees up=1', async (t) => {
    const tool = requireTool('prometheus');
    if ('skip' in tool) return t.skip(tool.skip);
    backend = await testServer((_req, res) => res.end(JSON.stringify({ 'a "quoted" \\ ü\tvalue': 3, '': 4 })));
    exporter = await startExporter(
      writeConfig(`plugins:
  - { name: web, use: http-health, schedule: 1s, timeout: 900ms, labels: { team: "web \\"core\\"" }, config: { url: "${backend.url}/" } }
  - { name: items, use: ${join(FIXTURES, 'items.mjs')}, schedule: on-scrape, timeout: 2s, config: { url: "${backend.url}/" } }
`),
    );
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'muster-prom-'));
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\nscrape_configs:\n  - job_name: muster\n    static_configs:\n      - targets: ["127.0.0.1:${exporter.port}"]\n`,
    );
    const started = startPrometheus(tool.path, dir, port, (text) => {
      logs += text;
    });
    prometheus = started.process;
    const query = started.query;
    const ok = await eventually(async () => (await query('up{job="muster"}'))[0]?.value[1] === '1', 20_000, 250);
    assert.ok(ok, `Prometheus scraped muster successfully; its log:\n${logs.slice(-2000)}`);
    assert.ok(await eventually(async () => (await query('muster_collector_up')).length === 2, 10_000, 250));
    const health = await query('http_health_status{http_health_status="healthy"}');
    assert.equal(health[0]?.metric.team, 'web "core"');
    assert.equal(health[0]?.metric.collector, 'web');
    assert.equal(health[0]?.value[1], '1');
    const items = await query('fixture_item_value');
    const byItem = new Map(items.map((v) => [v.metric.item ?? '', v.value[1]]));
    assert.equal(byItem.get('a "quoted" \\ ü\tvalue'), '3');
    // An empty label value is the same as no label in Prometheus.
    assert.equal(byItem.get(''), '4');
    // The process series the dashboards and docs/operations.md read, written by muster itself.
    for (const expr of ['process_resident_memory_bytes', 'process_start_time_seconds', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_heap_size_used_bytes']) {
      const [found] = await query(`${expr}{job="muster"}`);
      assert.ok(found !== undefined && Number(found.value[1]) >= 0, expr);
    }
    assert.ok(
      await eventually(async () => Number((await query('rate(process_cpu_seconds_total{job="muster"}[5s])'))[0]?.value[1]) > 0, 10_000, 250),
      'process CPU seconds grow between scrapes',
    );
    const sampleErrors = await query('scrape_samples_post_metric_relabeling{job="muster"}');
    assert.ok(Number(sampleErrors[0]?.value[1]) > 50);
  });
});
