import 'reflect-metadata';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { Logger } from '@muster/sdk';
import { buildPlan } from '../config/validate.js';
import { createCoreContainer } from '../container.js';
import { PluginLoader } from '../plugins/loader.js';
import { Runtime } from './runtime.js';
import { verdictOfFailure, verdictOfResult } from './verdict.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const FIXTURES = fileURLToPath(new URL('../../test-fixtures/', import.meta.url));

async function runtimeOf(isolation: 'in-process' | 'worker'): Promise<Runtime> {
  const loader = new PluginLoader({ builtins: { targeted: '../../test-fixtures/plugins/targeted.mjs' }, hostUrls: [import.meta.url] });
  const plan = await buildPlan(
    {
      defaults: { isolation },
      plugins: [
        { name: 'well', use: 'targeted', config: { url: 'http://127.0.0.1/ok' } },
        { name: 'ill', use: 'targeted', config: { url: 'http://127.0.0.1/sick' } },
      ],
    },
    `${FIXTURES}muster.yaml`,
    loader,
    {},
  );
  const runtime = createCoreContainer({ logger: silent, build: { version: '1' }, plugins: { builtins: {}, hostUrls: [] } }).resolve(Runtime);
  runtime.load(plan);
  return runtime;
}

describe('backend verdicts', () => {
  for (const isolation of ['in-process', 'worker'] as const) {
    it(`are kept in health and exported beside the collector's health (${isolation})`, async () => {
      const runtime = await runtimeOf(isolation);
      try {
        await runtime.runOnce();
        const [well, ill] = runtime.instances;
        assert.deepEqual(well?.health.target, { healthy: true });
        assert.deepEqual(ill?.health.target, { healthy: false, reason: 'status-503' });
        assert.equal(ill?.health.up, true, 'the collector itself is up');
        const body = (await runtime.exposition('text')).body.toString();
        assert.match(body, /^muster_target_healthy\{collector="well"\} 1$/m);
        assert.match(body, /^muster_target_healthy\{collector="ill"\} 0$/m);
        assert.match(body, /^muster_target_unhealthy_reason\{collector="ill",reason="status-503"\} 1$/m);
        assert.doesNotMatch(body, /muster_target_unhealthy_reason\{collector="well"/);
      } finally {
        await runtime.stop();
      }
    });
  }

  it('bound reasons, and read backend failures as unhealthy but muster failures as no verdict', () => {
    assert.deepEqual(verdictOfResult({ healthy: false, reason: 'Status 503 from a very long free text' }), { healthy: false, reason: 'invalid-reason' });
    assert.deepEqual(verdictOfResult({ healthy: false }), { healthy: false, reason: 'unstated' });
    assert.equal(verdictOfResult(undefined), undefined);
    assert.deepEqual(verdictOfFailure('connection-refused'), { healthy: false, reason: 'connection-refused' });
    assert.equal(verdictOfFailure('invalid-output'), undefined);
    assert.equal(verdictOfFailure('timeout')?.healthy, false);
  });
});
