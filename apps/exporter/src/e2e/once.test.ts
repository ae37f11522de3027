import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseExposition, sampleValue } from '@muster/testing';
import { writeConfig } from './testing/config-file.js';
import { type TestServer, testServer } from './testing/http-backend.js';
import { FIXTURES } from './testing/paths.js';
import { runCli } from './testing/run-cli.js';

describe('muster once', () => {
  let server: TestServer;
  before(async () => {
    server = await testServer((_req, res) => res.end(JSON.stringify({ alpha: 1, beta: 2 })));
  });
  after(() => server.stop());

  it('prints the exposition and exits 0 when every cycle succeeds', async () => {
    const file = writeConfig(`plugins:\n  - { name: items, use: ${join(FIXTURES, 'items.mjs')}, config: { url: "${server.url}/" } }\n`);
    const { code, stdout, stderr } = await runCli(['once', '--config', file]);
    assert.equal(code, 0, stderr);
    const parsed = parseExposition(stdout);
    assert.equal(sampleValue(parsed, 'fixture_item_value', { collector: 'items', item: 'beta' }), 2);
    assert.equal(sampleValue(parsed, 'muster_collector_up', { collector: 'items' }), 1);
  });

  it('still prints everything, self metrics included, and exits 1 when a cycle fails', async () => {
    const file = writeConfig(
      `plugins:\n  - { name: items, use: ${join(FIXTURES, 'items.mjs')}, config: { url: "${server.url}/" } }\n  - { name: broken, use: ${join(FIXTURES, 'items.mjs')}, timeout: 2s, config: { url: "http://127.0.0.1:9/" } }\n`,
    );
    const { code, stdout, stderr } = await runCli(['once', '--config', file]);
    assert.equal(code, 1);
    const parsed = parseExposition(stdout);
    assert.equal(sampleValue(parsed, 'fixture_item_value', { collector: 'items', item: 'alpha' }), 1);
    assert.equal(sampleValue(parsed, 'muster_collector_up', { collector: 'broken' }), 0);
    assert.equal(sampleValue(parsed, 'muster_collector_failure_reason', { collector: 'broken', muster_collector_failure_reason: 'connection-refused' }), 1);
    assert.match(stderr, /instance "broken" failed: connection-refused/);
  });

  it('speaks OpenMetrics on request', async () => {
    // selfMetrics full: the run counters, a counter family whose OpenMetrics name drops _total.
    const file = writeConfig(`plugins:\n  - { name: items, use: ${join(FIXTURES, 'items.mjs')}, selfMetrics: full, config: { url: "${server.url}/" } }\n`);
    const { code, stdout } = await runCli(['once', '--config', file, '--format', 'openmetrics']);
    assert.equal(code, 0);
    assert.ok(stdout.endsWith('# EOF\n'));
    assert.match(stdout, /^# TYPE muster_collector_runs counter$/m);
  });

  it('exits 1 with the errors on a bad config, printing no exposition', async () => {
    const file = writeConfig('plugins:\n  - { name: a, use: nope }\n');
    const { code, stdout, stderr } = await runCli(['once', '--config', file]);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.match(stderr, /plugins\[0\]\.use:/);
  });
});
