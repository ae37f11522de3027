import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { requireTool } from '@muster/testing';
import { alertQueries, PROMETHEUS_DIR } from './artifacts.js';

describe('Prometheus alert rules', () => {
  it('cover what the deploy README promises', () => {
    assert.deepEqual(
      alertQueries().map((q) => q.where.replace('alerts.yaml: ', '')).sort(),
      ['HttpHealthUnhealthy', 'JenkinsUnreachable', 'MusterInstanceDown', 'MusterLastSuccessStale', 'MusterTargetDown', 'PostgresDown'],
    );
  });

  it('pass promtool check rules', (t) => {
    const tool = requireTool('promtool', 'prometheus');
    if ('skip' in tool) return t.skip(tool.skip);
    const result = spawnSync(tool.path, ['check', 'rules', 'alerts.yaml'], { cwd: PROMETHEUS_DIR, encoding: 'utf8', timeout: 30_000 });
    assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
    assert.match(result.stdout, /SUCCESS: 6 rules found/);
  });

  it('pass their unit tests (promtool test rules)', (t) => {
    const tool = requireTool('promtool', 'prometheus');
    if ('skip' in tool) return t.skip(tool.skip);
    const result = spawnSync(tool.path, ['test', 'rules', join(PROMETHEUS_DIR, 'alerts.test.yaml')], { cwd: PROMETHEUS_DIR, encoding: 'utf8', timeout: 60_000 });
    assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
    assert.match(result.stdout, /SUCCESS/);
  });
});
