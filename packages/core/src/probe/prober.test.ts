import 'reflect-metadata';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import type { Logger } from '@muster/sdk';
import { buildPlan } from '../config/validate.js';
import { isMusterError } from '../errors.js';
import { PluginLoader } from '../plugins/loader.js';
import { Prober, probeDeadlineMs } from './prober.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const FIXTURES = fileURLToPath(new URL('../../test-fixtures/', import.meta.url));
const counts = () => (globalThis as unknown as { __targeted: { created: number; closed: number; cycles: number } }).__targeted;

async function proberWith(modules: Record<string, unknown>): Promise<Prober> {
  const loader = new PluginLoader({ builtins: { targeted: '../../test-fixtures/plugins/targeted.mjs' }, hostUrls: [import.meta.url] });
  const plan = await buildPlan({ modules }, `${FIXTURES}muster.yaml`, loader, {});
  const prober = new Prober({ logger: silent, userAgent: 'muster/test', redact: () => (t) => t });
  prober.setModules(plan.modules ?? []);
  probers.push(prober);
  return prober;
}

const probers: Prober[] = [];
after(() => Promise.all(probers.map((p) => p.close())));

async function refusal(run: Promise<unknown>): Promise<string> {
  try {
    await run;
  } catch (err) {
    assert.ok(isMusterError(err), String(err));
    return `${err.code}: ${err.message}`;
  }
  assert.fail('expected a refusal');
}

describe('Prober', () => {
  it('answers the plugin series without a collector label, then the verdict as muster_probe_success', async () => {
    const prober = await proberWith({ web: { use: 'targeted', labels: { team: 'a' }, config: { expect: 7 } } });
    const healthy = await prober.probe('web', 'http://127.0.0.1:1/ok');
    assert.equal(healthy.success, true);
    assert.match(healthy.body, /^targeted_expect\{team="a"\} 7$/m);
    assert.doesNotMatch(healthy.body, /collector=/);
    assert.match(healthy.body, /^muster_probe_success 1$/m);
    assert.match(healthy.body, /^muster_probe_duration_seconds \d/m);
    const sick = await prober.probe('web', 'http://127.0.0.1:1/sick');
    assert.equal(sick.success, false);
    assert.match(sick.body, /^targeted_expect\{team="a"\} 7$/m, 'a sick backend still has its series');
    assert.match(sick.body, /^muster_probe_success 0$/m);
    assert.match(sick.body, /^muster_probe_failure_reason\{reason="status-503"\} 1$/m);
    assert.deepEqual(prober.log.totals('web'), { success: 1, failure: 1 });
    assert.deepEqual(prober.log.recent('web').map((p) => [p.target, p.success, p.reason]), [
      ['http://127.0.0.1:1/ok', true, undefined],
      ['http://127.0.0.1:1/sick', false, 'status-503'],
    ]);
  });

  it('refuses an unknown module, a missing target, a target outside allowedTargets or the schema, with a one-line reason', async () => {
    const prober = await proberWith({ web: { use: 'targeted', allowedTargets: ['http://127\\.0\\.0\\.1:\\d+/.*'] } });
    assert.match(await refusal(prober.probe('nope', 'http://127.0.0.1:1/')), /^MUSTER_ERR_PROBE_MODULE: unknown module "nope" \(the config defines: web\)$/);
    assert.match(await refusal(prober.probe(undefined, 'http://127.0.0.1:1/')), /^MUSTER_ERR_PROBE_MODULE/);
    assert.match(await refusal(prober.probe('web', undefined)), /^MUSTER_ERR_PROBE_TARGET_MISSING/);
    assert.match(await refusal(prober.probe('web', '')), /^MUSTER_ERR_PROBE_TARGET_MISSING/);
    assert.match(await refusal(prober.probe('web', 'http://169.254.169.254/latest')), /refuses the target: it matches none of the module's allowedTargets$/);
    const open = await proberWith({ any: { use: 'targeted' } });
    const bad = await refusal(open.probe('any', 'file:///etc/passwd'));
    assert.match(bad, /^MUSTER_ERR_PROBE_TARGET_REFUSED: module "any" refuses the target: url: /);
    assert.doesNotMatch(bad, /\n/);
    assert.equal(open.cache.size(), 0, 'a refused target keeps nothing');
  });

  it('keeps a target\'s collector between probes, shares one cycle between concurrent probes, and caps the kept targets', async () => {
    const prober = await proberWith({ web: { use: 'targeted', maxTargets: 2 } });
    const before = { ...counts() };
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => prober.probe('web', 'http://127.0.0.1:1/slow')));
    assert.ok(a?.success && b?.success && c?.success);
    assert.equal(counts().cycles - before.cycles, 1, 'three concurrent probes of one target ran one cycle');
    await prober.probe('web', 'http://127.0.0.1:1/slow');
    assert.equal(counts().created - before.created, 1, 'one collector for the target, kept between probes');
    await prober.probe('web', 'http://127.0.0.1:2/');
    assert.equal(prober.cache.size('web'), 2);
    await prober.probe('web', 'http://127.0.0.1:3/');
    assert.equal(prober.cache.size('web'), 2, 'capped at maxTargets');
    assert.equal(counts().closed - before.closed, 1, 'the least recently probed target was closed');
    assert.equal(prober.cache.get('web', 'http://127.0.0.1:1/slow'), undefined);
  });

  it('holds the cap after many concurrent probes of new targets: those past it are closed as their cycles end', async () => {
    const prober = await proberWith({ web: { use: 'targeted', maxTargets: 3 } });
    const before = { ...counts() };
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => prober.probe('web', `http://127.0.0.1:${i + 1}/hang`, { scrapeTimeoutMs: 600 })));
    assert.ok(answers.every((a) => !a.success));
    assert.equal(prober.cache.size('web'), 3, 'no more than maxTargets kept once the probes ended');
    assert.equal(counts().closed - before.closed, 9);
  });

  it('names a target collector without the user and password of its URL', async () => {
    const prober = await proberWith({ web: { use: 'targeted' } });
    await prober.probe('web', 'http://probe-user:pw-2718@127.0.0.1:1/');
    const kept = prober.cache.get('web', 'http://probe-user:pw-2718@127.0.0.1:1/');
    assert.equal(kept?.instance.name, 'web/http://…@127.0.0.1:1/');
  });

  it('closes a target not probed for its idle time', async () => {
    const prober = await proberWith({ web: { use: 'targeted', idleTimeout: '200ms' } });
    const before = { ...counts() };
    await prober.probe('web', 'http://127.0.0.1:1/');
    await prober.probe('web', 'http://127.0.0.1:2/');
    assert.equal(prober.cache.size(), 2);
    while (prober.cache.size() > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(counts().closed - before.closed, 2);
  });

  it('cuts a probe at the scrape timeout less a margin: success 0, reason timeout, no series', async () => {
    const prober = await proberWith({ web: { use: 'targeted', timeout: '30s' } });
    const answer = await prober.probe('web', 'http://127.0.0.1:1/hang', { scrapeTimeoutMs: 1000 });
    assert.equal(answer.success, false);
    assert.match(answer.body, /^muster_probe_failure_reason\{reason="timeout"\} 1$/m);
    assert.doesNotMatch(answer.body, /targeted_expect/);
    assert.equal(probeDeadlineMs(30_000, 1000), 900);
    assert.equal(probeDeadlineMs(30_000, 10_000), 9500);
    assert.equal(probeDeadlineMs(5000, 10_000), 5000, 'the module timeout when shorter');
    assert.equal(probeDeadlineMs(5000), 5000);
  });

  it('closes the targets of a module that a reload changed or removed', async () => {
    const prober = await proberWith({ web: { use: 'targeted' } });
    await prober.probe('web', 'http://127.0.0.1:1/');
    prober.setModules([]);
    assert.equal(prober.cache.size(), 0);
    assert.match(await refusal(prober.probe('web', 'http://127.0.0.1:1/')), /MUSTER_ERR_PROBE_MODULE/);
  });
});
