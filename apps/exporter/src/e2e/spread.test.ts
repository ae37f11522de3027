import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { eventually, parseExposition, sampleValue } from '@muster/testing';
import { writeConfig } from './testing/config-file.js';
import { type Exporter, startExporter } from './testing/exporter-process.js';
import { type TestServer, testServer } from './testing/http-backend.js';

const INSTANCES = 40;
const INTERVAL_MS = 2_000;

/** A config of {@link INSTANCES} http-health instances, each checking its own path of `url`. */
function sites(url: string, extra: string): string {
  const lines = Array.from(
    { length: INSTANCES },
    (_, i) => `  - { name: site-${i}, use: http-health, schedule: 2s, timeout: 1s, config: { url: "${url}/site-${i}" } }`,
  );
  return `${extra}plugins:\n${lines.join('\n')}\n`;
}

/** How many tenths of the interval the given arrivals fall in, and the fullest tenth. */
function tenths(firsts: readonly number[]): { used: number; fullest: number } {
  const counts = new Array<number>(10).fill(0);
  for (const at of firsts) {
    const tenth = Math.floor((at % INTERVAL_MS) / (INTERVAL_MS / 10));
    counts[tenth] = (counts[tenth] ?? 0) + 1;
  }
  return { used: counts.filter((c) => c > 0).length, fullest: Math.max(...counts) };
}

/**
 * Starts muster on `config` and returns each instance's second arrival time at `server`: the
 * first cycle also creates the instance's collector, which a loaded machine may delay; from the
 * second on, each instance runs at its fixed rate.
 */
async function steadyArrivals(server: TestServer, config: string): Promise<{ exporter: Exporter; firsts: number[] }> {
  const arrivals = new Map<string, number[]>();
  server.handler = (req, res) => {
    const list = arrivals.get(req.url ?? '') ?? [];
    list.push(Date.now());
    arrivals.set(req.url ?? '', list);
    res.end('ok');
  };
  const exporter = await startExporter(writeConfig(config));
  const seconds = () => [...arrivals.values()].filter((l) => l.length >= 2).length;
  // A hang guard, not a bound: every instance runs twice within two intervals of its start.
  assert.ok(await eventually(async () => seconds() === INSTANCES, 90_000), `${seconds()} of ${INSTANCES} instances ran twice`);
  return { exporter, firsts: [...arrivals.values()].map((l) => l[1] as number) };
}

describe('instances sharing an interval are spread over it', () => {
  let server: TestServer;
  let hanging: TestServer;
  const exporters: Exporter[] = [];
  after(async () => {
    await Promise.all(exporters.map((e) => e.stop()));
    await server?.stop();
    await hanging?.stop();
  });

  it('by default their checks reach the target spread over the interval; with align: true together', async () => {
    server = await testServer((_req, res) => res.end('ok'));
    const spread = await steadyArrivals(server, sites(server.url, ''));
    exporters.push(spread.exporter);
    await spread.exporter.stop();
    const aligned = await steadyArrivals(server, sites(server.url, 'defaults: { align: true }\n'));
    exporters.push(aligned.exporter);
    const s = tenths(spread.firsts);
    const a = tenths(aligned.firsts);
    // 40 stable phases over 10 tenths: about 4 a tenth. Checks sent late by a busy machine only
    // move to a later tenth; what is asserted is the shape of the second round, never a time.
    assert.ok(s.used >= 7, `spread: first checks fall in ${s.used} tenths of the interval`);
    assert.ok(s.fullest <= INSTANCES / 4, `spread: the fullest tenth holds ${s.fullest} of ${INSTANCES}`);
    assert.ok(a.fullest > s.fullest, `aligned: the fullest tenth holds ${a.fullest}, more than spread (${s.fullest})`);
  });

  it('is ready while no first cycle has ended yet; align: true waits for them', async () => {
    // Never answers: no cycle ends before its 9 s deadline.
    hanging = await testServer(() => undefined);
    const config = (extra: string) =>
      `${extra}plugins:\n${Array.from({ length: 5 }, (_, i) => `  - { name: h-${i}, use: http-health, schedule: 10s, timeout: 9s, config: { url: "${hanging.url}/" } }`).join('\n')}\n`;
    const spread = await startExporter(writeConfig(config('')));
    exporters.push(spread);
    assert.ok(await eventually(async () => (await spread.scrape('/readyz')).status === 200, 30_000), 'ready');
    const metrics = parseExposition((await spread.scrape()).body);
    for (let i = 0; i < 5; i++) {
      assert.equal(sampleValue(metrics, 'muster_collector_consecutive_failures', { collector: `h-${i}` }), 0);
      assert.equal(sampleValue(metrics, 'muster_collector_last_success_timestamp_seconds', { collector: `h-${i}` }), 0);
    }
    const aligned = await startExporter(writeConfig(config('defaults: { align: true }\n')));
    exporters.push(aligned);
    const answer = await aligned.scrape('/readyz');
    assert.equal(answer.status, 503);
    assert.deepEqual(JSON.parse(answer.body).pending, ['h-0', 'h-1', 'h-2', 'h-3', 'h-4']);
  });
});
