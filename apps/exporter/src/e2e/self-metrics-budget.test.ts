import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { eventually, parseExposition } from '@muster/testing';
import { join } from 'node:path';
import { writeConfig } from './testing/config-file.js';
import { type Exporter, startExporter } from './testing/exporter-process.js';
import { type TestServer, testServer } from './testing/http-backend.js';
import { FIXTURES } from './testing/paths.js';

const SLEEPY = join(FIXTURES, 'sleepy.mjs');

/** muster's own series per collector, from a real scrape. */
function ownSeries(body: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of parseExposition(body).samples) {
    const collector = s.labels.collector;
    if (!s.name.startsWith('muster_') || collector === undefined) continue;
    out.set(collector, [...(out.get(collector) ?? []), `${s.name}${JSON.stringify(s.labels)}`]);
  }
  return out;
}

describe("muster's own series per instance", () => {
  let server: TestServer;
  let exporter: Exporter;
  after(async () => {
    await exporter?.stop();
    await server?.stop();
  });

  it('stay within 12 per instance by default, healthy or failing; selfMetrics full opts in to the rest', async () => {
    server = await testServer((_req, res) => res.end('ok'));
    exporter = await startExporter(
      writeConfig(`defaults: { schedule: 500ms, timeout: 400ms }
plugins:
  - { name: fine, use: http-health, config: { url: "${server.url}/" } }
  - { name: broken, use: ${SLEEPY}, timeout: 100ms, config: { sleepMs: 1000 } }
  - { name: detailed, use: http-health, selfMetrics: full, config: { url: "${server.url}/" } }
`),
    );
    const ran = async () => {
      const p = parseExposition((await exporter.scrape()).body);
      const value = (name: string, collector: string) => p.samples.find((s) => s.name === name && s.labels.collector === collector)?.value ?? 0;
      return (
        value('muster_collector_last_success_timestamp_seconds', 'fine') > 0 &&
        value('muster_collector_last_success_timestamp_seconds', 'detailed') > 0 &&
        value('muster_collector_consecutive_failures', 'broken') > 0
      );
    };
    assert.ok(await eventually(ran, 30_000), 'every instance ran');
    const series = ownSeries((await exporter.scrape()).body);
    for (const name of ['fine', 'broken']) {
      const own = series.get(name) ?? [];
      assert.ok(own.length > 0 && own.length <= 12, `${name}: ${own.length} series\n${own.join('\n')}`);
      assert.equal(own.filter((s) => s.startsWith('muster_collector_failure_reason')).length, 1, 'one failure-reason series');
      assert.equal(own.some((s) => s.startsWith('muster_collector_runs_total')), false, 'run counters are opt-in');
    }
    const detailed = series.get('detailed') ?? [];
    assert.ok(detailed.length > 12, `full: ${detailed.length} series`);
    assert.ok(detailed.some((s) => s.startsWith('muster_collector_runs_total')));
    assert.ok(detailed.filter((s) => s.startsWith('muster_collector_failure_reason')).length > 1, 'every reason');
    // The status page keeps everything whatever the setting: runs by result for the standard instance.
    const status = JSON.parse((await exporter.scrape('/api/status')).body) as { instances: { name: string; runs?: Record<string, number> }[] };
    const fine = status.instances.find((i) => i.name === 'fine');
    assert.ok((fine?.runs?.success ?? 0) >= 1, JSON.stringify(fine));
  });
});
