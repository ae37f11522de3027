import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { readmeSection, sampleConfigProblems, sampleEntries } from '@muster/testing';
import { configSchema } from './config.js';
import plugin from './index.js';

const root = new URL('../', import.meta.url);
const read = (name: string) => readFile(new URL(name, root), 'utf8');

/** The sample with its interpolations replaced by plausible values (validation runs after interpolation). */
async function sample(): Promise<string> {
  return (await read('sample.yaml')).replace('${file:certs/db-ca.pem}', '"-----BEGIN CERTIFICATE-----"').replace(/\$\{[^}]+\}/g, 'secret');
}

test('every config block of sample.yaml validates', async () => {
  assert.deepEqual(sampleConfigProblems(plugin, await sample()), []);
});

test('sample.yaml shows every option', async () => {
  const text = await read('sample.yaml');
  const shown = new Set(sampleEntries(await sample()).flatMap((p) => Object.keys(p.config as object)));
  for (const option of Object.keys(configSchema.shape)) assert.ok(shown.has(option), `option "${option}" missing from sample.yaml`);
  for (const nested of ['ca:', 'cert:', 'key:', 'servername:', 'max:', 'idleTimeout:', 'maxLifetime:']) assert.ok(text.includes(nested), `${nested} missing`);
});

test("the README's Configuration section holds sample.yaml verbatim", async () => {
  const [readme, text] = await Promise.all([read('README.md'), read('sample.yaml')]);
  assert.ok(readmeSection(readme, 'Configuration').includes(`\`\`\`yaml\n${text.trim()}\n\`\`\``), 'the sample is in a ```yaml block of that section');
});

test('the README documents every option, metric and failure reason', async () => {
  const readme = await read('README.md');
  for (const option of Object.keys(configSchema.shape).filter((o) => o !== 'tls' && o !== 'pool')) {
    assert.ok(readme.includes(`| \`${option}\``), `option ${option} not in the options table`);
  }
  for (const option of ['tls.ca', 'tls.cert', 'tls.key', 'tls.servername', 'pool.max', 'pool.idleTimeout', 'pool.maxLifetime']) {
    assert.ok(readme.includes(`| \`${option}\``), `option ${option} not in the options table`);
  }
  for (const metric of [
    'pg_up',
    'pg_failure_reason',
    'pg_ping_duration_seconds',
    'pg_server_info',
    'pg_in_recovery',
    'pg_pings_total',
    'pg_connections_opened_total',
    'pg_pool_connections',
  ]) {
    assert.ok(readme.includes(`| \`${metric}\``), `metric ${metric} not in the metrics table`);
  }
  const { FAILURE_REASONS, MUSTER_REASON } = await import('./classify.js');
  for (const reason of FAILURE_REASONS) {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${reason}\``));
    assert.ok(row !== undefined, `reason ${reason} not in the reasons table`);
    if (reason !== 'none') assert.ok(row.includes(`\`${MUSTER_REASON[reason]}\``), `the row of ${reason} names muster's reason ${MUSTER_REASON[reason]}`);
  }
});
