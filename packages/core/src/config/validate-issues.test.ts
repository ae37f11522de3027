import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMusterError, type MusterError } from '../errors.js';
import { CONFIG_FILE, issueAt, issuesOf, newLoader, paths } from '../testing/build-plan.js';
import type { ConfigIssue } from './issues.js';
import { buildPlan } from './validate.js';

// buildPlan refusing an invalid config: every issue, at its path, in one run.
describe('buildPlan', () => {
  describe('an invalid config', () => {
    it('cuts a message quoting a huge value, after redacting it', async () => {
      const issues = await issuesOf({ plugins: [{ name: 'a!'.repeat(100_000), use: 'fixture', onFailure: `${'z'.repeat(300)}\${API_TOKEN}` }] }, { API_TOKEN: 'tok-1234567890' });
      const name = issueAt(issues, 'plugins[0].name').message;
      assert.ok(name.length < 500, `${name.length} characters`);
      assert.match(name, /… \(\d+ more characters\)$/);
      const onFailure = issueAt(issues, 'plugins[0].onFailure').message;
      assert.equal(onFailure.includes('tok-123'), false, onFailure);
    });

    it('names at most ten unknown keys, quoted so that control characters stay escaped', async () => {
      const raw: Record<string, unknown> = { plugins: [], '\u001b[2Jclear': 1 };
      for (let i = 0; i < 5000; i++) raw[`k${i}`] = i;
      const message = issueAt(await issuesOf(raw), '(root)').message;
      assert.match(message, /^unknown keys "\\u001b\[2Jclear", "k0", .*"k8" and 4991 more$/);
      assert.equal(message.includes('\u001b'), false);
    });

    it('reports every problem of the top-level keys at once, with exact paths', async () => {
      const issues = await issuesOf({
        bogus: 1,
        server: { port: 70_000, metricsPath: 'metrics', requestTimeout: 'soon' },
        defaults: { onFailure: 'retry', maxSeries: 0, schedule: 'now and then', labels: { job: 'j', team: '${MISSING_TEAM}' } },
        plugins: [],
      });
      assert.deepEqual(paths(issues), [
        '(root)',
        'defaults.labels.job',
        'defaults.labels.team',
        'defaults.maxSeries',
        'defaults.onFailure',
        'defaults.schedule',
        'server.metricsPath',
        'server.port',
        'server.requestTimeout',
      ]);
      assert.match(issueAt(issues, '(root)').message, /unknown key "bogus"/);
      assert.match(issueAt(issues, 'server.port').message, /65535/);
      assert.match(issueAt(issues, 'defaults.labels.team').message, /MISSING_TEAM/);
      assert.match(issueAt(issues, 'server.requestTimeout').message, /duration/);
      assert.match(issueAt(issues, 'defaults.onFailure').message, /"drop" or "keep"/);
      assert.match(issueAt(issues, 'defaults.schedule').message, /"now and then"/);
      assert.match(issueAt(issues, 'defaults.labels.job').message, /reserved/);
    });

    it('refuses a port that is not a number', async () => {
      const issues = await issuesOf({ server: { port: 'http' } });
      assert.deepEqual(paths(issues), ['server.port']);
    });

    it('reports every problem of the plugin entries at once, with exact paths', async () => {
      const issues = await issuesOf({
        plugins: [
          {
            name: 'a',
            use: 'fixture',
            schedule: 'now and then',
            labels: { instance: 'x', 'bad-name': 'y' },
            config: { token: '${MISSING_TOKEN}' },
          },
          { name: 'b', use: 'fixture', schedule: '* * * * * 99', labels: { job: 'j', collector: 'c', __meta: 'm' } },
          { name: '-bad', use: '', timeout: '10', jitter: '-1s', onFailure: 'retry' },
          { name: 'c', use: 'bare', timout: '1s' },
        ],
      });
      assert.deepEqual(paths(issues), [
        'plugins[0].config.token',
        'plugins[0].labels.bad-name',
        'plugins[0].labels.instance',
        'plugins[0].schedule',
        'plugins[1].labels.__meta',
        'plugins[1].labels.collector',
        'plugins[1].labels.job',
        'plugins[1].schedule',
        'plugins[2].jitter',
        'plugins[2].name',
        'plugins[2].onFailure',
        'plugins[2].timeout',
        'plugins[2].use',
        'plugins[3]',
      ]);
      assert.match(issueAt(issues, 'plugins[0].config.token').message, /MISSING_TOKEN/);
      assert.match(issueAt(issues, 'plugins[0].labels.instance').message, /reserved/);
      assert.match(issueAt(issues, 'plugins[1].labels.job').message, /reserved/);
      assert.match(issueAt(issues, 'plugins[1].labels.collector').message, /reserved/);
      assert.match(issueAt(issues, 'plugins[0].labels.bad-name').message, /label name/);
      assert.match(issueAt(issues, 'plugins[1].labels.__meta').message, /not starting with "__"/);
      assert.match(issueAt(issues, 'plugins[0].schedule').message, /"now and then"/);
      assert.match(issueAt(issues, 'plugins[1].schedule').message, /cron/);
      assert.match(issueAt(issues, 'plugins[2].timeout').message, /duration/);
      assert.match(issueAt(issues, 'plugins[3]').message, /unknown key "timout"/);
    });

    it('reports every plan-level problem at once, with exact paths', async () => {
      const issues = await issuesOf({
        plugins: [
          { name: 'a', use: 'fixture', config: { x: 'not a number' } },
          { name: 'b', use: 'no-such-plugin-anywhere' },
          { name: 'a', use: 'fixture' },
          { name: 'd', use: 'fixture', schedule: '10s', timeout: '20s' },
          { name: 'e', use: 'fixture', schedule: '1s', timeout: '500ms', jitter: '1s' },
          { name: 'f', use: 'fixture', schedule: '2s' },
          { name: 'g', use: 'bad-default-schedule' },
          { name: 'h', use: './plugins/api99.mjs' },
          { name: 'ok', use: 'fixture' },
          { name: 'i', use: 'fixture', labels: { job: 'x' } },
        ],
      });
      assert.deepEqual(
        issues.map((i) => i.path),
        [
          'plugins[0].config.x',
          'plugins[1].use',
          'plugins[2].name',
          'plugins[3].timeout',
          'plugins[4].jitter',
          'plugins[6].schedule',
          'plugins[7].use',
          'plugins[9].labels.job',
        ],
      );
      assert.equal(issueAt(issues, 'plugins[0].config.x').message, 'expected a number, found "not a number"');
      assert.match(issueAt(issues, 'plugins[1].use').message, /MUSTER_ERR_PLUGIN_NOT_FOUND/);
      assert.match(issueAt(issues, 'plugins[1].use').message, /no-such-plugin-anywhere/);
      assert.match(issueAt(issues, 'plugins[2].name').message, /duplicate instance name "a" \(first used at plugins\[0\]\)/);
      assert.match(issueAt(issues, 'plugins[3].timeout').message, /timeout 20s > schedule 10s/);
      assert.match(issueAt(issues, 'plugins[4].jitter').message, /jitter 1s >= schedule 1s/);
      assert.match(issueAt(issues, 'plugins[6].schedule').message, /plugin default schedule/);
      assert.match(issueAt(issues, 'plugins[7].use').message, /MUSTER_ERR_PLUGIN_API_VERSION/);
    });

    it('reports unknown keys of a strict plugin schema under the instance config path', async () => {
      const issues = await issuesOf({ plugins: [{ name: 'a', use: 'fixture', config: { x: 1, y: 2 } }] });
      assert.deepEqual(paths(issues), ['plugins[0].config']);
      assert.match(issueAt(issues, 'plugins[0].config').message, /unknown key "y"/);
    });

    it('never puts an interpolated secret in its error message', async () => {
      const raw = { plugins: [{ name: 'a', use: 'fixture', config: { x: '${API_TOKEN}' } }] };
      try {
        await buildPlan(raw, CONFIG_FILE, newLoader(), { API_TOKEN: 'super-secret-token' });
        assert.fail('should throw');
      } catch (err) {
        assert.ok(isMusterError(err, 'MUSTER_ERR_CONFIG_INVALID'));
        assert.equal(err.message.includes('super-secret-token'), false, err.message);
        assert.equal(JSON.stringify((err as MusterError & { issues: unknown }).issues).includes('super-secret-token'), false);
      }
    });

    it(
      'never echoes an interpolated secret that landed in a core key',
            async () => {
        const raw = { plugins: [{ name: 'a', use: 'bare', timeout: '${DB_PASSWORD}' }] };
        try {
          await buildPlan(raw, CONFIG_FILE, newLoader(), { DB_PASSWORD: 'hunter2-hunter2' });
          assert.fail('should throw');
        } catch (err) {
          assert.ok(isMusterError(err, 'MUSTER_ERR_CONFIG_INVALID'));
          const issues = (err as MusterError & { issues: ConfigIssue[] }).issues;
          assert.deepEqual(paths(issues), ['plugins[0].timeout'], 'the problem is still reported');
          assert.equal(err.message.includes('hunter2-hunter2'), false, err.message);
          assert.equal(JSON.stringify(issues).includes('hunter2-hunter2'), false);
        }
      },
    );

    it(
      'reports plugin-level problems even when the core keys also have problems',
            async () => {
        const issues = await issuesOf({
          server: { port: 70_000 },
          plugins: [
            { name: 'a', use: 'no-such-plugin-anywhere' },
            { name: 'b', use: 'fixture', config: { x: 'nope' } },
            { name: 'c', use: 'bare', labels: { instance: 'x' } },
          ],
        });
        assert.deepEqual(paths(issues), ['plugins[0].use', 'plugins[1].config.x', 'plugins[2].labels.instance', 'server.port']);
      },
    );
  });
});
