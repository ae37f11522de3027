import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createHarness } from '@muster/testing';
import plugin from './index.js';

/** `path: message` lines of a rejected config. */
function problems(config: unknown): string[] {
  const result = plugin.configSchema.safeParse(config);
  assert.equal(result.success, false, `expected ${JSON.stringify(config)} to be rejected`);
  return result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
}

describe('config schema', () => {
  test('every key is optional, with its default', () => {
    assert.deepEqual(plugin.configSchema.parse({}), { perCpu: false, memory: true, load: true });
    assert.deepEqual(plugin.configSchema.parse({ perCpu: true, memory: false, load: false }), {
      perCpu: true,
      memory: false,
      load: false,
    });
  });

  test('a wrong type names the key and what was found', () => {
    assert.deepEqual(problems({ perCpu: 'yes' }), ['perCpu: expected true or false, found "yes"']);
    assert.deepEqual(problems({ memory: 1 }), ['memory: expected true or false, found 1']);
    assert.deepEqual(problems({ load: null }), ['load: expected true or false, found null']);
  });

  test('an unknown key is an error, not ignored', () => {
    const result = plugin.configSchema.safeParse({ percpu: true });
    assert.equal(result.success, false);
    const issue = result.error?.issues[0];
    assert.equal(issue?.code, 'unrecognized_keys');
    assert.deepEqual(issue?.code === 'unrecognized_keys' && issue.keys, ['percpu']);
  });

  test('errors name the path as muster prints it (config.<key>)', async () => {
    await assert.rejects(createHarness(plugin, { perCpu: 'yes' }), /config\.perCpu: expected true or false, found "yes"/);
    await assert.rejects(createHarness(plugin, { percpu: true }), /config: unknown key "percpu"/);
  });

  test('plugin defaults: every 15s, 5s deadline', () => {
    assert.deepEqual(plugin.defaults, { schedule: '15s', timeout: '5s' });
    assert.equal(plugin.name, 'system');
  });
});
