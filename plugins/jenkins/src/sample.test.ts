import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import plugin from './index.js';

const root = new URL('../', import.meta.url);
const sample = readFileSync(new URL('sample.yaml', root), 'utf8');
const readme = readFileSync(new URL('README.md', root), 'utf8');

describe('sample config and README', () => {
  it('every config block of sample.yaml validates through the plugin schema', () => {
    const doc = parse(sample.replace(/\$\{file:[^}]+\}/g, 'token-from-file')) as { plugins: { use: string; config: unknown }[] };
    assert.ok(doc.plugins.length > 0);
    for (const [i, entry] of doc.plugins.entries()) {
      assert.equal(entry.use, 'jenkins');
      const result = plugin.configSchema.safeParse(entry.config);
      assert.ok(result.success, `plugins[${i}].config: ${JSON.stringify(result.error?.issues)}`);
    }
  });

  it('the README shows sample.yaml verbatim and documents every option and metric', () => {
    assert.ok(readme.includes(sample.trim()), 'README contains sample.yaml');
    const shape = (plugin.configSchema as unknown as { _zod: { def: { in?: { shape: Record<string, unknown> }; shape?: Record<string, unknown> } } })._zod.def;
    const keys = Object.keys(shape.in?.shape ?? shape.shape ?? {});
    assert.ok(keys.length > 5);
    for (const key of keys) assert.ok(readme.includes(`\`${key}\``), `README documents ${key}`);
    for (const metric of ['jenkins_jobs', 'jenkins_jobs_count', 'jenkins_folders', 'jenkins_queue_items', 'jenkins_executors', 'jenkins_nodes', 'jenkins_info', 'jenkins_job_last_build_result']) {
      assert.ok(readme.includes(`\`${metric}\``), metric);
    }
  });
});
