import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMusterError } from '../errors.js';
import { CONFIG_FILE, instance, newLoader } from '../testing/build-plan.js';
import { DEFAULTS } from './schema.js';
import { buildPlan } from './validate.js';

// buildPlan on valid configs; refused ones are in validate-issues, validate-messages and validate-timeouts.
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
});
