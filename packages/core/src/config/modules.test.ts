import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONFIG_FILE, newLoader, thrownIssues } from '../testing/build-plan.js';
import type { ConfigIssue } from './issues.js';
import { buildPlan } from './validate.js';

/** buildPlan on `raw`, expecting MUSTER_ERR_CONFIG_INVALID: its issues. */
const issuesOf = async (raw: unknown): Promise<ConfigIssue[]> => (await thrownIssues(raw)).issues;

describe('modules:', () => {
  it('plans a module: timeout from defaults, labels merged, allowedTargets anchored, idle and cap defaults', async () => {
    const plan = await buildPlan(
      {
        defaults: { timeout: '3s', labels: { env: 'prod' } },
        modules: { web: { use: 'targeted', labels: { team: 'a' }, config: { expect: 2 }, allowedTargets: ['http://127\\.0\\.0\\.1:\\d+/.*'] } },
      },
      CONFIG_FILE,
      newLoader(),
      {},
    );
    assert.equal(plan.instances.length, 0, 'a config may hold modules only');
    const web = plan.modules?.[0];
    assert.ok(web !== undefined);
    assert.equal(web.name, 'web');
    assert.equal(web.timeoutMs, 3000);
    assert.deepEqual(web.config, { expect: 2 });
    assert.equal(web.maxTargets, 1000);
    assert.equal(web.idleMs, 300_000);
    assert.equal(web.allowedTargets[0]?.test('http://127.0.0.1:80/x'), true);
    assert.equal(web.allowedTargets[0]?.test('http://10.0.0.1:80/x'), false);
    assert.equal(web.allowedTargets[0]?.test('xhttp://127.0.0.1:80/'), false, 'matched whole');
  });

  it('lists every problem of every module with its path, beside those of plugins:', async () => {
    const issues = await issuesOf({
      plugins: [{ name: 'a', use: 'fixture', schedule: 'soon' }],
      modules: {
        plain: { use: 'fixture' },
        url: { use: 'targeted', config: { url: 'http://x/' } },
        typed: { use: 'targeted', config: { expect: 'many' }, timeout: 'later', allowedTargets: ['('] },
        'bad name!': { use: 'targeted' },
        odd: { use: 'targeted', extra: 1 },
      },
    });
    const byPath = new Map(issues.map((i) => [i.path, i.message]));
    assert.match(byPath.get('plugins[0].schedule') ?? '', /expected/);
    assert.match(byPath.get('modules.plain.use') ?? '', /takes no target, so it cannot be a module/);
    assert.match(byPath.get('modules.url.config.url') ?? '', /set by each probe's target/);
    assert.ok(byPath.has('modules.typed.config.expect'), JSON.stringify(issues));
    assert.ok(byPath.has('modules.typed.timeout'));
    assert.match(byPath.get('modules.typed.allowedTargets[0]') ?? '', /regular expression/);
    assert.match(byPath.get('modules["bad name!"]') ?? '', /module name/);
    assert.match(byPath.get('modules.odd') ?? '', /unknown key "extra"/);
    const typed = issues.find((i) => i.path === 'modules.typed.config.expect');
    assert.deepEqual(typed?.segments, ['modules', 'typed', 'config', 'expect'], 'paths keep their segments');
  });
  it('refuses a module holding credentials without allowedTargets, naming the keys and never the values', async () => {
    const issues = await issuesOf({
      modules: {
        leaky: { use: 'targeted', config: { token: 'tok-3141-secret' } },
        fenced: { use: 'targeted', config: { token: 'tok-3141-secret' }, allowedTargets: ['http://127\\.0\\.0\\.1/.*'] },
        header: { use: 'targeted', config: { headers: { Authorization: 'Bearer tok-3141-secret', Accept: 'text/plain' } } },
      },
    });
    const byPath = new Map(issues.map((i) => [i.path, i.message]));
    assert.match(byPath.get('modules.leaky.allowedTargets') ?? '', /required when the module holds credentials \(config\.token\)/);
    assert.equal(byPath.has('modules.fenced.allowedTargets'), false, 'a module listing its targets may hold credentials');
    assert.match(byPath.get('modules.header.allowedTargets') ?? '', /\(config\.headers\.Authorization\)/, 'a literal Authorization header is a credential');
    assert.doesNotMatch(JSON.stringify(issues), /tok-3141-secret/);
  });
});
