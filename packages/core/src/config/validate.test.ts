import 'reflect-metadata';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { isMusterError, type MusterError } from '../errors.js';
import { PluginLoader } from '../plugins/loader.js';
import type { InstancePlan, Plan } from './plan.js';
import { DEFAULTS } from './schema.js';
import type { ConfigIssue } from './validate.js';
import { buildPlan } from './validate.js';

/** packages/core/test-fixtures/, seen from dist/config/. */
const FIXTURES = fileURLToPath(new URL('../../test-fixtures/', import.meta.url));
/** A config file that need not exist: only its folder matters (for ./paths and ${file:…}). */
const CONFIG_FILE = `${FIXTURES}muster.yaml`;

function newLoader(): PluginLoader {
  return new PluginLoader({
    builtins: {
      fixture: '../../test-fixtures/plugins/good.mjs',
      bare: '../../test-fixtures/plugins/bare.mjs',
      'bad-default-schedule': '../../test-fixtures/plugins/bad-default-schedule.mjs',
    },
    hostUrls: [import.meta.url],
  });
}

function instance(plan: Plan, name: string): InstancePlan {
  const found = plan.instances.find((i) => i.name === name);
  assert.ok(found !== undefined, `instance ${name} in plan`);
  return found;
}

/** Runs buildPlan on `raw`, expecting MUSTER_ERR_CONFIG_INVALID; returns its issues. */
async function issuesOf(raw: unknown, env: NodeJS.ProcessEnv = {}): Promise<ConfigIssue[]> {
  try {
    await buildPlan(raw, CONFIG_FILE, newLoader(), env);
  } catch (err) {
    assert.ok(isMusterError(err, 'MUSTER_ERR_CONFIG_INVALID'), `expected MUSTER_ERR_CONFIG_INVALID, got ${String(err)}`);
    const issues = (err as MusterError & { issues: ConfigIssue[] }).issues;
    assert.ok(Array.isArray(issues));
    // The message names the file and every issue, one per line.
    assert.ok(err.message.includes(CONFIG_FILE));
    assert.ok(err.message.includes(`${issues.length} error(s)`));
    for (const issue of issues) assert.ok(err.message.includes(`${issue.path}: ${issue.message}`));
    return issues;
  }
  assert.fail('buildPlan should have thrown');
}

function paths(issues: readonly ConfigIssue[]): string[] {
  return issues.map((i) => i.path).sort();
}

function issueAt(issues: readonly ConfigIssue[], path: string): ConfigIssue {
  const found = issues.filter((i) => i.path === path);
  assert.equal(found.length, 1, `exactly one issue at ${path}; issues: ${JSON.stringify(issues)}`);
  return found[0] as ConfigIssue;
}

describe('buildPlan', () => {
  describe('a valid config', () => {
    it('applies core defaults for the server and for instances whose plugin has none', async () => {
      const plan = await buildPlan({ plugins: [{ name: 'b', use: 'bare' }] }, CONFIG_FILE, newLoader(), {});
      assert.equal(plan.filepath, CONFIG_FILE);
      assert.deepEqual(plan.server, { host: '0.0.0.0', port: 9777, metricsPath: '/metrics', requestTimeoutMs: 30_000, reloadEndpoint: false });
      const b = instance(plan, 'b');
      assert.equal(b.use, 'bare');
      assert.equal(b.plugin.name, 'bare');
      assert.deepEqual(b.schedule, { kind: 'interval', everyMs: 15_000, text: DEFAULTS.schedule });
      assert.equal(b.timeoutMs, 10_000);
      assert.equal(b.jitterMs, 0);
      assert.equal(b.onFailure, 'drop');
      assert.equal(b.maxSeries, 10_000);
      assert.deepEqual(b.labels, {});
      assert.deepEqual(b.config, {});
      assert.equal(plan.secrets.size, 0);
    });

    it('refuses a config that holds nothing, and takes an empty mapping as zero instances', async () => {
      for (const raw of [undefined, null]) {
        await assert.rejects(buildPlan(raw, CONFIG_FILE, newLoader(), {}), (err) => isMusterError(err, 'MUSTER_ERR_CONFIG_EMPTY') && /plugins: \[\]/.test(err.message));
      }
      for (const raw of [{}, { plugins: [] }]) {
        const plan = await buildPlan(raw, CONFIG_FILE, newLoader(), {});
        assert.deepEqual(plan.instances, []);
      }
    });

    it('uses plugin defaults over core defaults, and parses the plugin config with its schema', async () => {
      const plan = await buildPlan({ plugins: [{ name: 'f', use: 'fixture' }] }, CONFIG_FILE, newLoader(), {});
      const f = instance(plan, 'f');
      assert.equal(f.plugin.name, 'fixture');
      assert.deepEqual(f.schedule, { kind: 'interval', everyMs: 30_000, text: '30s' });
      assert.equal(f.timeoutMs, 5_000);
      assert.deepEqual(f.config, { x: 1 }, 'the schema default for x is applied');
    });

    it('uses config defaults over plugin defaults, and instance settings over both', async () => {
      const raw = {
        server: { host: '127.0.0.1', port: '9100', metricsPath: '/m', requestTimeout: '5s' },
        defaults: {
          schedule: '1m',
          timeout: '3s',
          jitter: '2s',
          onFailure: 'keep',
          maxSeries: 50,
          labels: { env: 'prod', team: 'core' },
        },
        plugins: [
          { name: 'from-defaults', use: 'fixture', config: { x: 2 } },
          {
            name: 'own',
            use: 'fixture',
            schedule: '45s',
            timeout: '20s',
            jitter: '0',
            onFailure: 'drop',
            maxSeries: 7,
            labels: { team: 'edge', site: 'ams' },
          },
          { name: 'cron', use: 'bare', schedule: '*/30 * * * * *' },
          { name: 'scrape', use: 'bare', schedule: 'on-scrape' },
        ],
      };
      const plan = await buildPlan(raw, CONFIG_FILE, newLoader(), {});
      assert.deepEqual(plan.server, { host: '127.0.0.1', port: 9100, metricsPath: '/m', requestTimeoutMs: 5_000, reloadEndpoint: false });
      assert.deepEqual(
        plan.instances.map((i) => i.name),
        ['from-defaults', 'own', 'cron', 'scrape'],
      );

      const d = instance(plan, 'from-defaults');
      assert.deepEqual(d.schedule, { kind: 'interval', everyMs: 60_000, text: '1m' });
      assert.equal(d.timeoutMs, 3_000);
      assert.equal(d.jitterMs, 2_000);
      assert.equal(d.onFailure, 'keep');
      assert.equal(d.maxSeries, 50);
      assert.deepEqual(d.labels, { env: 'prod', team: 'core' });
      assert.deepEqual(d.config, { x: 2 });

      const own = instance(plan, 'own');
      assert.deepEqual(own.schedule, { kind: 'interval', everyMs: 45_000, text: '45s' });
      assert.equal(own.timeoutMs, 20_000);
      assert.equal(own.jitterMs, 0);
      assert.equal(own.onFailure, 'drop');
      assert.equal(own.maxSeries, 7);
      assert.deepEqual(own.labels, { env: 'prod', team: 'edge', site: 'ams' });

      assert.deepEqual(instance(plan, 'cron').schedule, { kind: 'cron', expression: '*/30 * * * * *', text: '*/30 * * * * *' });
      assert.deepEqual(instance(plan, 'scrape').schedule, { kind: 'on-scrape', text: 'on-scrape' });
    });

    it('accepts a timeout equal to the interval', async () => {
      const plan = await buildPlan({ plugins: [{ name: 'a', use: 'bare', schedule: '5s', timeout: '5s' }] }, CONFIG_FILE, newLoader(), {});
      assert.equal(instance(plan, 'a').timeoutMs, 5_000);
    });

    it('loads a plugin given as a path relative to the config file', async () => {
      const plan = await buildPlan({ plugins: [{ name: 'p', use: './plugins/good.mjs' }] }, CONFIG_FILE, newLoader(), {});
      const p = instance(plan, 'p');
      assert.equal(p.use, './plugins/good.mjs');
      assert.equal(p.plugin.name, 'fixture');
    });

    it('interpolates before validating and keeps the secrets it found', async () => {
      const raw = {
        server: { port: '${PORT}' },
        plugins: [{ name: 'a', use: 'fixture', config: { x: 3, token: '${API_TOKEN}', url: 'http://${HOST}/' } }],
      };
      const plan = await buildPlan(raw, CONFIG_FILE, newLoader(), { PORT: '9200', API_TOKEN: 'tok-123456', HOST: 'h.test' });
      assert.equal(plan.server.port, 9200);
      assert.deepEqual(instance(plan, 'a').config, { x: 3, token: 'tok-123456', url: 'http://h.test/' });
      assert.deepEqual([...plan.secrets], ['tok-123456']);
    });

    it('gives equal instances equal fingerprints and changed ones different fingerprints', async () => {
      const base = { name: 'a', use: 'fixture', config: { x: 1 } };
      const fp = async (entry: Record<string, unknown>) =>
        instance(await buildPlan({ plugins: [entry] }, CONFIG_FILE, newLoader(), {}), 'a').fingerprint;
      const first = await fp(base);
      assert.equal(await fp({ ...base }), first);
      assert.notEqual(await fp({ ...base, config: { x: 2 } }), first);
      assert.notEqual(await fp({ ...base, schedule: '1m' }), first);
      assert.notEqual(await fp({ ...base, labels: { env: 'x' } }), first);
    });
  });

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

  describe('timeouts and intervals', () => {
    it('clamps an inherited timeout (plugin or muster default) to a shorter interval, and says so', async () => {
      const plan = await buildPlan(
        {
          plugins: [
            { name: 'plugin-default', use: 'fixture', schedule: '2s' },
            { name: 'muster-default', use: 'bare', schedule: '1s' },
            { name: 'fits', use: 'fixture', schedule: '1m' },
          ],
        },
        CONFIG_FILE,
        newLoader(),
        {},
      );
      const clamped = instance(plan, 'plugin-default');
      assert.equal(clamped.timeoutMs, 2_000);
      assert.equal(clamped.timeoutSource, 'plugin');
      assert.equal(clamped.timeoutClampedFrom, '5s');
      const core = instance(plan, 'muster-default');
      assert.equal(core.timeoutMs, 1_000);
      assert.equal(core.timeoutSource, 'muster');
      assert.equal(core.timeoutClampedFrom, DEFAULTS.timeout);
      const fits = instance(plan, 'fits');
      assert.equal(fits.timeoutMs, 5_000);
      assert.equal(fits.timeoutClampedFrom, undefined);
    });

    it('refuses a timeout set explicitly, on the instance or in defaults, that is longer than the interval', async () => {
      const own = await issuesOf({ plugins: [{ name: 'a', use: 'bare', schedule: '1s', timeout: '2s' }] });
      assert.match(issueAt(own, 'plugins[0].timeout').message, /timeout 2s > schedule 1s/);
      const inherited = await issuesOf({ defaults: { timeout: '3s' }, plugins: [{ name: 'a', use: 'bare', schedule: '1s' }] });
      assert.match(issueAt(inherited, 'plugins[0].schedule').message, /timeout 3s \(set in defaults\.timeout\) > schedule 1s/);
    });
  });
});
