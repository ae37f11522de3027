import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { readmeSection, sampleConfigProblems, sampleEntries } from '@muster/testing';
import plugin from './index.js';

const root = new URL('../', import.meta.url);
const read = (name: string) => readFile(new URL(name, root), 'utf8');

test('every config block of sample.yaml validates', async () => {
  assert.deepEqual(sampleConfigProblems(plugin, await read('sample.yaml')), []);
});

test('sample.yaml shows every option', async () => {
  const text = await read('sample.yaml');
  const shown = new Set(sampleEntries(text).flatMap((p) => Object.keys(p.config as object)));
  const options = Object.keys(plugin.configSchema.parse({ url: 'http://x/', body: '', method: 'POST', bodyMatch: '', timeout: '1s' }));
  for (const option of options) assert.ok(shown.has(option), `option "${option}" missing from sample.yaml`);
  for (const tlsOption of ['ca:', 'insecureSkipVerify:']) assert.ok(text.includes(tlsOption), `tls ${tlsOption} missing`);
});

test("the README's Configuration section holds sample.yaml verbatim", async () => {
  const [readme, sample] = await Promise.all([read('README.md'), read('sample.yaml')]);
  assert.ok(readmeSection(readme, 'Configuration').includes(`\`\`\`yaml\n${sample.trim()}\n\`\`\``), 'the sample is in a ```yaml block of that section');
  assert.ok(readme.includes(sample.trim()));
});

test('the README documents every option, metric and failure reason', async () => {
  const readme = await read('README.md');
  const options = Object.keys(plugin.configSchema.parse({ url: 'http://x/', body: '', method: 'POST', bodyMatch: '', timeout: '1s' }));
  for (const option of options.filter((o) => o !== 'tls')) {
    assert.ok(readme.includes(`| \`${option}\``), `option ${option} not in the options table`);
  }
  for (const option of ['tls.ca', 'tls.insecureSkipVerify']) assert.ok(readme.includes(`| \`${option}\``), `option ${option} not in the options table`);
  for (const metric of [
    'http_health_status',
    'http_health_request_duration_seconds',
    'http_health_status_code',
    'http_health_failure_reason',
    'http_health_checks_total',
    'http_health_response_size_bytes',
  ]) {
    assert.ok(readme.includes(`| \`${metric}\``), `metric ${metric} not in the metrics table`);
  }
  const { FAILURE_REASONS } = await import('./classify.js');
  for (const reason of FAILURE_REASONS) assert.ok(readme.includes(`| \`${reason}\``), `reason ${reason} not in the reasons table`);
});
