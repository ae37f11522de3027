import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { readmeSection, sampleConfigProblems, sampleEntries } from '@muster/testing';
import plugin from './index.js';

const root = new URL('../', import.meta.url);
const read = (name: string) => readFile(new URL(name, root), 'utf8');

const OPTIONS = Object.keys(plugin.configSchema.parse({}));
const METRICS = [
  'system_cpu_usage_ratio',
  'system_cpu_core_usage_ratio',
  'system_cpus',
  'system_memory_bytes',
  'system_load1',
  'system_load5',
  'system_load15',
  'system_uptime_seconds',
  'system_info',
];

test('every config block of sample.yaml validates, and together they show every option', async () => {
  const text = await read('sample.yaml');
  assert.deepEqual(sampleConfigProblems(plugin, text), []);
  const shown = new Set(sampleEntries(text).flatMap((entry) => Object.keys(entry.config ?? {})));
  for (const option of OPTIONS) assert.ok(shown.has(option), `option "${option}" missing from sample.yaml`);
});

test("the README's Configuration section holds sample.yaml verbatim", async () => {
  const [readme, sample] = await Promise.all([read('README.md'), read('sample.yaml')]);
  assert.ok(readmeSection(readme, 'Configuration').includes(`\`\`\`yaml\n${sample.trim()}\n\`\`\``));
});

test('the README documents every option and metric, and its example output shows every metric', async () => {
  const readme = await read('README.md');
  for (const option of OPTIONS) assert.ok(readme.includes(`| \`${option}\``), `option ${option} not in the options table`);
  const metrics = readmeSection(readme, 'Metrics');
  for (const metric of METRICS) assert.ok(metrics.includes(`| \`${metric}\``), `metric ${metric} not in the metrics table`);
  const example = readmeSection(readme, 'Example output');
  for (const metric of METRICS) assert.ok(example.includes(`# TYPE ${metric} `), `metric ${metric} not in the example output`);
  readmeSection(readme, 'How this plugin is written');
});
