import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { issueAt, issuesOf, paths } from '../testing/build-plan.js';

// buildPlan's messages: what a first-time user reads, and can act on.
describe('buildPlan', () => {
  describe('messages a first-time user can act on', () => {
    it('checks the plugin config of an instance whose own keys are wrong: every problem in one run', async () => {
      const issues = await issuesOf({
        server: { port: 'ninety', metricsPath: 'metrics' },
        defaults: { shedule: '15s' },
        plugins: [
          { name: 'a b', use: 'fixture', tiemout: '5s', onFailure: 'retry', config: { x: 'one', y: 2 } },
          { name: 'c', use: 'fixture', schedule: 'sometimes', config: { x: 1.5 } },
        ],
      });
      assert.deepEqual(paths(issues), [
        'defaults',
        'plugins[0]',
        'plugins[0].config',
        'plugins[0].config.x',
        'plugins[0].name',
        'plugins[0].onFailure',
        'plugins[1].config.x',
        'plugins[1].schedule',
        'server.metricsPath',
        'server.port',
      ]);
    });

    it('suggests the known key an unknown one was meant to be, at every level', async () => {
      const issues = await issuesOf({
        server: { prot: 9000 },
        defaults: { shedule: '15s' },
        plugins: [{ name: 'a', use: 'fixture', tiemout: '1s', config: { tokn: 'x', zzzzzz: 1 } }],
      });
      assert.equal(issueAt(issues, 'server').message, 'unknown key "prot" (did you mean "port"?)');
      assert.equal(issueAt(issues, 'defaults').message, 'unknown key "shedule" (did you mean "schedule"?)');
      assert.equal(issueAt(issues, 'plugins[0]').message, 'unknown key "tiemout" (did you mean "timeout"?)');
      const config = issues.filter((i) => i.path === 'plugins[0].config').map((i) => i.message);
      assert.deepEqual(config.sort(), ['unknown key "tokn" (did you mean "token"?)', 'unknown key "zzzzzz"']);
    });

    it('reports a "__proto__" key as the unknown key it is, not the keys of its value', async () => {
      // YAML and JSON parsers give "__proto__" as an own key; copying it must not make it the prototype.
      const raw = JSON.parse('{"plugins":[{"name":"a","use":"fixture","config":{"token":"t","__proto__":{"polluted":1}}}]}') as unknown;
      const issues = await issuesOf(raw);
      assert.deepEqual(
        issues.filter((i) => i.path === 'plugins[0].config').map((i) => i.message),
        ['unknown key "__proto__"'],
      );
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });

    it('says what type was expected and what was found, and where an interpolated value came from', async () => {
      const issues = await issuesOf(
        {
          server: { port: '${MUSTER_PORT:-abc}', host: 5 },
          plugins: [
            { name: 'a', use: 'fixture', maxSeries: 'many', config: { x: '${FIXTURE_X}' } },
            { name: 'b', use: 'fixture', onFailure: 'retry', labels: 'team=web' },
            { use: 'fixture' },
          ],
        },
        { FIXTURE_X: 'three' },
      );
      assert.equal(issueAt(issues, 'server.port').message, 'expected a port number 0–65535, found "abc" (from ${MUSTER_PORT:-abc})');
      assert.equal(issueAt(issues, 'server.host').message, 'expected a string, found 5');
      assert.equal(issueAt(issues, 'plugins[0].maxSeries').message, 'expected a number, found "many"');
      assert.equal(issueAt(issues, 'plugins[0].config.x').message, 'expected a number, found "three" (from ${FIXTURE_X})');
      assert.equal(issueAt(issues, 'plugins[1].onFailure').message, 'expected "drop" or "keep", found "retry"');
      assert.equal(issueAt(issues, 'plugins[1].labels').message, 'expected a mapping of keys, found "team=web"');
      assert.equal(issueAt(issues, 'plugins[2].name').message, 'required: expected a string');
      // A schema's own message that already says what it found still names the ${…} it came from.
      const own = await issuesOf({ plugins: [{ name: 'c', use: 'bare', timeout: '${T:-banana}' }] }, { T: undefined });
      assert.equal(issueAt(own, 'plugins[0].timeout').message, 'expected a duration like "500ms", "10s" or "1m", found "banana" (from ${T:-banana})');
      const ninety = await issuesOf({ server: { port: 'ninety' } });
      assert.equal(issueAt(ninety, 'server.port').message, 'expected a port number 0–65535, found "ninety"');
      const big = await issuesOf({ server: { port: 70_000 } });
      assert.equal(issueAt(big, 'server.port').message, 'expected a port number 0–65535, found 70000');
    });
  });
});
