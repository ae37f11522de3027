import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configForTarget, isTargetVerdict, targetHealthy, targetKeys, targetUnhealthy, VERDICT_REASON } from './target.js';

describe('target support', () => {
  it('fills the one target key over the module config', () => {
    const support = { key: 'url', example: 'http://x/' };
    assert.deepEqual(configForTarget(support, 'http://a/', { expectedStatus: 200 }), { expectedStatus: 200, url: 'http://a/' });
    assert.deepEqual(targetKeys(support), ['url']);
  });

  it('hands the target and module config to fromTarget, whose error refuses the target', () => {
    const support = {
      keys: ['host', 'port'],
      example: 'db:5432',
      fromTarget(target: string, module: Readonly<Record<string, unknown>>) {
        const [host, port] = target.split(':');
        if (host === '') throw new Error('expected host[:port]');
        return { ...module, host, port: Number(port) };
      },
    };
    assert.deepEqual(configForTarget(support, 'db:6543', { user: 'u' }), { user: 'u', host: 'db', port: 6543 });
    assert.throws(() => configForTarget(support, ':1', {}), /expected host\[:port\]/);
    assert.deepEqual(targetKeys(support), ['host', 'port']);
  });

  it('builds verdicts that the host recognises', () => {
    assert.equal(isTargetVerdict(targetHealthy()), true);
    assert.deepEqual(targetUnhealthy('status-503'), { healthy: false, reason: 'status-503' });
    assert.equal(isTargetVerdict(undefined), false);
    assert.equal(isTargetVerdict({ healthy: 'yes' }), false);
    assert.equal(VERDICT_REASON.test('connection-refused'), true);
    assert.equal(VERDICT_REASON.test('Status 503'), false);
  });
});
