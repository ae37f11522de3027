import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { eventually, findSamples, parseExposition } from '@muster/testing';
import { writeConfig } from './testing/config-file.js';
import { startExporter } from './testing/exporter-process.js';
import { FIXTURES } from './testing/paths.js';

const SLEEPY = join(FIXTURES, 'sleepy.mjs');

describe('shutdown', () => {
  it('SIGTERM during an on-scrape scrape: the scrape is answered with what muster has, and the process exits 0', async () => {
    // The on-scrape cycle would take ten minutes: far past the 10 s grace period.
    const exporter = await startExporter(
      writeConfig(`plugins:
  - { name: steady, use: ${SLEEPY}, schedule: 200ms, timeout: 150ms, config: { sleepMs: 1 } }
  - { name: lazy, use: ${SLEEPY}, schedule: on-scrape, timeout: 15m, config: { sleepMs: 600000 } }
`),
    );
    try {
      assert.ok(await eventually(async () => (await exporter.scrape('/readyz')).status === 200));
      // No X-Prometheus-Scrape-Timeout-Seconds: the scrape waits for the on-scrape cycle.
      const inFlight = fetch(`${exporter.url}/metrics`).then(async (res) => ({ status: res.status, body: await res.text() }));
      // Let the scrape start its cycle (how long does not matter: the cycle would run for minutes).
      await new Promise((resolve) => setTimeout(resolve, 500));
      exporter.process.kill('SIGTERM');
      const answer = await inFlight;
      assert.equal(answer.status, 200, answer.body);
      const samples = parseExposition(answer.body);
      assert.equal(findSamples(samples, 'muster_collector_up', { collector: 'steady' })[0]?.value, 1, 'the scheduled instance is served');
      assert.equal(findSamples(samples, 'muster_collector_up', { collector: 'lazy' })[0]?.value, 0, 'the cut cycle failed');
      assert.equal(await exporter.exited(), 0, exporter.output());
      assert.doesNotMatch(exporter.output(), /shutdown took too long/);
    } finally {
      if (exporter.process.exitCode === null) exporter.process.kill('SIGKILL');
    }
  });
});
