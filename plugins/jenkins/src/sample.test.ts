import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { sampleConfigProblems } from '@muster/testing';
import plugin from './index.js';

const root = new URL('../', import.meta.url);
const sample = readFileSync(new URL('sample.yaml', root), 'utf8');
const readme = readFileSync(new URL('README.md', root), 'utf8');

describe('sample config and README', () => {
  it('every config block of sample.yaml validates through the plugin schema', () => {
    assert.deepEqual(sampleConfigProblems(plugin, sample.replace(/\$\{file:[^}]+\}/g, 'token-from-file')), []);
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
