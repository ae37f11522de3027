import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { parse } from 'yaml';
import plugin from './index.js';

const root = new URL('../', import.meta.url);
const read = (name: string) => readFile(new URL(name, root), 'utf8');

interface SampleFile {
  plugins: { name: string; use: string; config?: unknown }[];
}

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

/** The text of a `## title` section of the README. */
function section(readme: string, title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  assert.ok(start !== -1, `README has a "## ${title}" section`);
  const next = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, next === -1 ? undefined : next);
}

test('every config block of sample.yaml validates, and together they show every option', async () => {
  const sample = parse(await read('sample.yaml')) as SampleFile;
  assert.ok(Array.isArray(sample.plugins) && sample.plugins.length > 0);
  const shown = new Set<string>();
  for (const [index, entry] of sample.plugins.entries()) {
    assert.equal(entry.use, 'system', `plugins[${index}].use`);
    const result = plugin.configSchema.safeParse(entry.config ?? {});
    const issues = result.error?.issues.map((i) => `plugins[${index}].config.${i.path.join('.')}: ${i.message}`);
    assert.ok(result.success, issues?.join('\n'));
    for (const key of Object.keys(entry.config ?? {})) shown.add(key);
  }
  for (const option of OPTIONS) assert.ok(shown.has(option), `option "${option}" missing from sample.yaml`);
});

test("the README's Configuration section holds sample.yaml verbatim", async () => {
  const [readme, sample] = await Promise.all([read('README.md'), read('sample.yaml')]);
  assert.ok(section(readme, 'Configuration').includes(`\`\`\`yaml\n${sample.trim()}\n\`\`\``));
});

test('the README documents every option and metric, and its example output shows every metric', async () => {
  const readme = await read('README.md');
  for (const option of OPTIONS) assert.ok(readme.includes(`| \`${option}\``), `option ${option} not in the options table`);
  const metrics = section(readme, 'Metrics');
  for (const metric of METRICS) assert.ok(metrics.includes(`| \`${metric}\``), `metric ${metric} not in the metrics table`);
  const example = section(readme, 'Example output');
  for (const metric of METRICS) assert.ok(example.includes(`# TYPE ${metric} `), `metric ${metric} not in the example output`);
  section(readme, 'How this plugin is written');
});
