import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type InstancePlan, resolveInstance } from '@muster/core';
import { definePlugin, z } from '@muster/sdk';
import { createLogger } from '../logger.js';
import { INSTANCES_LOGGED_EACH, logConfiguredInstances } from './instance-log.js';

const plugin = definePlugin({
  name: 'probe-fixture',
  apiVersion: 1,
  configSchema: z.object({ token: z.string() }),
  create: () => ({ collect: async () => undefined }),
});

/** `n` planned instances, half on 15s and half on 1m, each with a config holding a token. */
function instances(n: number): InstancePlan[] {
  return Array.from({ length: n }, (_, i) => {
    const resolved = resolveInstance({ name: `i-${i}`, use: './fixture', plugin, entry: { schedule: i % 2 === 0 ? '15s' : '1m', labels: { team: 'web' } }, config: { token: `secret-${i}` } });
    assert.ok(resolved.plan !== undefined);
    return resolved.plan;
  });
}

/** The JSON lines a real muster logger at `level` writes for `plans`. */
function logged(level: 'info' | 'debug', plans: readonly InstancePlan[]): Record<string, unknown>[] {
  const lines: string[] = [];
  const { logger } = createLogger(level, (line) => lines.push(line));
  logConfiguredInstances(logger, plans);
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('start-up log of the configured instances', () => {
  it(`logs one line per instance at info, up to ${INSTANCES_LOGGED_EACH} instances, never the config`, () => {
    const lines = logged('info', instances(INSTANCES_LOGGED_EACH));
    assert.equal(lines.length, INSTANCES_LOGGED_EACH);
    assert.deepEqual(
      { ...lines[1], time: undefined },
      { level: 30, time: undefined, app: 'muster', collector: 'i-1', plugin: 'probe-fixture', schedule: '1m', timeoutMs: 10_000, labels: { team: 'web' }, msg: 'instance configured' },
    );
    assert.ok(!JSON.stringify(lines).includes('secret-'));
  });

  it('past that, one counted line at info, and each instance at debug', () => {
    const plans = instances(INSTANCES_LOGGED_EACH + 1);
    const info = logged('info', plans);
    assert.equal(info.length, 1);
    assert.equal(info[0]?.msg, 'instances configured (one line each at --log-level debug)');
    assert.equal(info[0]?.instances, INSTANCES_LOGGED_EACH + 1);
    assert.deepEqual(info[0]?.byPlugin, { 'probe-fixture': INSTANCES_LOGGED_EACH + 1 });
    assert.deepEqual(info[0]?.bySchedule, { '15s': 51, '1m': 50 });
    const debug = logged('debug', plans);
    assert.equal(debug.length, INSTANCES_LOGGED_EACH + 2);
    assert.equal(debug.filter((l) => l.msg === 'instance configured' && l.level === 20).length, INSTANCES_LOGGED_EACH + 1);
    assert.ok(!JSON.stringify(debug).includes('secret-'));
  });
});
