import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { isMusterError, STANDARD_PLUGINS } from '@muster/core';
import { checkExposition, parseExposition, sampleValue } from '@muster/testing';
import { consoleLogger } from './logger.js';
import { createMuster, type Muster, type MusterOptions } from './muster.js';
import { FIXTURES, listen } from './testing/fixtures.js';

const quiet = consoleLogger('silent');
const created: Muster[] = [];
function muster(options: MusterOptions = {}): Muster {
  const m = createMuster({ logger: quiet, ...options });
  created.push(m);
  return m;
}

async function text(m: Muster): Promise<string> {
  const answer = await m.scrape();
  assert.equal(answer.status, 200);
  return String(answer.body);
}

const tally = (name: string, extra: Record<string, unknown> = {}) => ({ name, use: './plugins/tally.mjs', ...extra });

describe('createMuster', () => {
  afterEach(async () => {
    await Promise.all(created.splice(0).map((m) => m.close()));
  });

  it('serves app metrics and self metrics without any config', async () => {
    const m = muster();
    const jobs = m.metrics.counter({ name: 'app_jobs_total', help: 'Jobs run.', labelNames: ['kind'] });
    jobs.inc({ kind: 'mail' }, 3);
    await m.start();
    const body = await text(m);
    assert.deepEqual(checkExposition(body), []);
    const parsed = parseExposition(body);
    assert.equal(sampleValue(parsed, 'app_jobs_total', { kind: 'mail' }), 3);
    assert.ok(sampleValue(parsed, 'app_uptime_seconds') >= 0);
    assert.equal(parsed.samples.filter((s) => s.name === 'muster_build_info').length, 1);
    assert.equal(parsed.samples.filter((s) => s.name === 'process_start_time_seconds').length, 1, 'process start time comes from the self metrics');
    assert.equal(m.plan?.instances.length, 0);
    assert.equal(m.ready, true);
  });

  it('runs plugin instances of an inline config in-process, with their health set', async () => {
    const m = muster({
      cwd: FIXTURES,
      config: {
        // align: the scheduled instance runs at start (not at its phase in the interval), and
        // readiness waits for that first cycle.
        defaults: { labels: { team: 'web' }, align: true },
        plugins: [tally('scheduled', { config: { value: 7 } }), tally('on-demand', { schedule: 'on-scrape', config: { value: 2 } })],
      },
    });
    await m.start();
    // The scheduled instance runs at start; wait for its first cycle.
    for (let i = 0; i < 100 && !m.ready; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(m.ready, true);
    const parsed = parseExposition(await text(m));
    assert.equal(sampleValue(parsed, 'tally_value', { collector: 'scheduled', team: 'web' }), 7);
    assert.equal(sampleValue(parsed, 'tally_value', { collector: 'on-demand' }), 2);
    assert.equal(sampleValue(parsed, 'muster_collector_up', { collector: 'scheduled' }), 1);
    assert.equal(sampleValue(parsed, 'muster_collector_up', { collector: 'on-demand' }), 1);
    const second = parseExposition(await text(m));
    assert.equal(sampleValue(second, 'tally_cycles_total', { collector: 'on-demand' }), 2, 'on-scrape runs at every scrape');
    assert.equal(sampleValue(second, 'tally_cycles_total', { collector: 'scheduled' }), 1, 'a scrape never runs a scheduled instance');
    assert.ok(sampleValue(second, 'app_uptime_seconds') >= 0, 'app and plugin metrics in one exposition');
  });

  it('reads a config file relative to cwd, with ${ENV} and plugin paths relative to the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'muster-app-'));
    writeFileSync(
      join(dir, 'muster.yaml'),
      `plugins:\n  - name: from-file\n    use: ${join(FIXTURES, 'plugins/tally.mjs')}\n    schedule: on-scrape\n    config: { value: "\${TALLY_VALUE}" }\n`,
    );
    // ${TALLY_VALUE} interpolates to a string; the plugin wants a number, so the config is invalid…
    const bad = muster({ cwd: dir, configFile: 'muster.yaml', env: { TALLY_VALUE: '5' } });
    await assert.rejects(bad.start(), (err) => isMusterError(err, 'MUSTER_ERR_CONFIG_INVALID') && /plugins\[0\]\.config\.value/.test(err.message));
    writeFileSync(
      join(dir, 'muster.yaml'),
      `plugins:\n  - name: from-file\n    use: ${join(FIXTURES, 'plugins/tally.mjs')}\n    schedule: on-scrape\n    config: { value: 5, token: "\${TALLY_TOKEN}" }\n`,
    );
    const lines: string[] = [];
    const good = muster({ cwd: dir, configFile: 'muster.yaml', env: { TALLY_TOKEN: 's3cret-token' }, logger: consoleLogger('debug', (l) => lines.push(l)) });
    await good.start();
    assert.equal(good.plan?.filepath, join(dir, 'muster.yaml'));
    assert.equal(sampleValue(parseExposition(await text(good)), 'tally_value', { collector: 'from-file' }), 5);
    good.logger.warn({ header: 'Bearer s3cret-token' }, 'sending s3cret-token');
    assert.ok(lines.length > 0);
    assert.equal(lines.join('').includes('s3cret-token'), false, 'secrets never reach the log');
  });

  it('reload() reads the config file again: changed instances restart, a bad file keeps the running config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'muster-app-'));
    const entry = (name: string, value: number | string) => `  - name: ${name}\n    use: ${join(FIXTURES, 'plugins/tally.mjs')}\n    schedule: on-scrape\n    config: { value: ${value} }\n`;
    writeFileSync(join(dir, 'muster.yaml'), `plugins:\n${entry('stays', 1)}${entry('changes', 2)}`);
    const m = muster({ cwd: dir, configFile: 'muster.yaml' });
    await m.start();
    assert.equal(sampleValue(parseExposition(await text(m)), 'tally_value', { collector: 'changes' }), 2);
    writeFileSync(join(dir, 'muster.yaml'), `plugins:\n${entry('stays', 1)}${entry('changes', 20)}${entry('new', 3)}`);
    assert.deepEqual(await m.reload(), { ok: true, summary: { kept: ['stays'], added: ['new'], changed: ['changes'], removed: [] } });
    let parsed = parseExposition(await text(m));
    assert.equal(sampleValue(parsed, 'tally_value', { collector: 'changes' }), 20);
    assert.equal(sampleValue(parsed, 'tally_value', { collector: 'new' }), 3);
    assert.equal(sampleValue(parsed, 'tally_cycles_total', { collector: 'stays' }), 2, 'an unchanged instance keeps its state');
    writeFileSync(join(dir, 'muster.yaml'), `plugins:\n${entry('stays', '"one"')}`);
    const refused = await m.reload();
    assert.equal(refused.ok, false);
    assert.match(refused.ok ? '' : refused.error, /plugins\[0\]\.config\.value.*\[MUSTER_ERR_CONFIG_INVALID\]$/s);
    parsed = parseExposition(await text(m));
    assert.equal(sampleValue(parsed, 'tally_value', { collector: 'new' }), 3, 'the running config stays');
    assert.equal(sampleValue(parsed, 'muster_config_last_reload_successful'), 0);
    await m.close();
    const closed = await m.reload();
    assert.ok(!closed.ok);
    assert.match(closed.error, /\[MUSTER_ERR_SHUTTING_DOWN\]$/);
  });

  it('close() during a reload: the reload changes nothing and every collector is closed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'muster-app-'));
    const entry = (name: string) => `  - name: ${name}\n    use: ${join(FIXTURES, 'plugins/tally.mjs')}\n    schedule: 1h\n`;
    writeFileSync(join(dir, 'muster.yaml'), `plugins:\n${entry('first')}`);
    const m = muster({ cwd: dir, configFile: 'muster.yaml' });
    await m.start();
    writeFileSync(join(dir, 'muster.yaml'), `plugins:\n${entry('first')}${entry('late')}`);
    const during = m.reload();
    await m.close();
    const outcome = await during;
    assert.ok(!outcome.ok, 'a reload that ends after close() applies nothing');
    assert.match(outcome.error, /\[MUSTER_ERR_SHUTTING_DOWN\]$/);
    assert.deepEqual(
      m.runtime.instances.map((i) => i.name),
      ['first'],
      'no instance is created (and left open) after close()',
    );
  });

  it('reload() while load() is under way waits for it; before any load it is refused with a code', async () => {
    const m = muster({ cwd: FIXTURES, config: { plugins: [tally('one', { schedule: 'on-scrape' })] } });
    const idle = muster({ cwd: FIXTURES, config: {} });
    const refused = await idle.reload();
    assert.ok(!refused.ok);
    assert.match(refused.error, /nothing to reload.*\[MUSTER_ERR_INVALID_ARGUMENT\]$/);
    void m.load();
    assert.deepEqual(await m.reload(), { ok: true, summary: { kept: ['one'], added: [], changed: [], removed: [] } });
  });

  it('never half-starts: a bad config rejects start() and nothing runs', async () => {
    const m = muster({ cwd: FIXTURES, config: { plugins: [tally('a', { schedule: 'sometimes' }), { name: 'b', use: 'nope-not-a-plugin' }] } });
    await assert.rejects(m.start(), (err) => {
      assert.ok(isMusterError(err, 'MUSTER_ERR_CONFIG_INVALID'));
      assert.match(err.message, /plugins\[0\]\.schedule/);
      assert.match(err.message, /plugins\[1\]\.use/);
      return true;
    });
    assert.equal(m.runtime.instances.length, 0);
    assert.throws(
      () => createMuster({ config: {}, configFile: 'x.yaml' }),
      (err: unknown) => isMusterError(err, 'MUSTER_ERR_INVALID_ARGUMENT') && /either "config" or "configFile"/.test(err.message),
    );
  });

  it('resolves built-in short names the app passes, and package names it installed', async () => {
    const target = await listen((_req, res) => res.end('ok'));
    try {
      const m = muster({
        builtins: STANDARD_PLUGINS,
        resolveFrom: import.meta.url,
        config: {
          plugins: [
            { name: 'short', use: 'http-health', schedule: 'on-scrape', config: { url: `${target.url}/health` } },
            { name: 'package', use: '@muster/plugin-http-health', schedule: 'on-scrape', config: { url: `${target.url}/health` } },
          ],
        },
      });
      await m.start();
      const body = await text(m);
      assert.deepEqual(checkExposition(body), []);
      const parsed = parseExposition(body);
      for (const collector of ['short', 'package']) {
        assert.equal(sampleValue(parsed, 'muster_collector_up', { collector }), 1);
        assert.equal(sampleValue(parsed, 'http_health_status', { collector, http_health_status: 'healthy' }), 1);
      }
      // Without the builtins map, the short name is not a plugin.
      const plain = muster({ config: { plugins: [{ name: 'short', use: 'http-health', config: { url: target.url } }] } });
      await assert.rejects(plain.start(), (err) => isMusterError(err, 'MUSTER_ERR_CONFIG_INVALID'));
    } finally {
      await target.close();
    }
  });

  it('negotiates OpenMetrics, gzips when asked, and answers one collector or 404', async () => {
    const m = muster({ cwd: FIXTURES, config: { plugins: [tally('one', { schedule: 'on-scrape' })] } });
    m.metrics.counter({ name: 'app_events_total', help: 'Events.' }).inc();
    await m.start();
    const om = await m.scrape({ accept: 'application/openmetrics-text; version=1.0.0' });
    assert.match(om.headers['content-type'] ?? '', /^application\/openmetrics-text/);
    assert.match(String(om.body), /# TYPE app_events counter\n/);
    assert.ok(String(om.body).endsWith('# EOF\n'));
    const zipped = await m.scrape({ acceptEncoding: 'gzip, deflate' });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.ok(Buffer.isBuffer(zipped.body));
    assert.match(gunzipSync(zipped.body).toString('utf8'), /^app_events_total 1$/m);
    assert.equal((await m.scrape({ acceptEncoding: 'gzip;q=0' })).headers['content-encoding'], undefined);
    const one = String((await m.scrape({ collector: 'one' })).body);
    assert.match(one, /^tally_value\{collector="one"\} 1$/m);
    assert.equal(one.includes('app_events_total'), false, 'one collector: its series only');
    const missing = await m.scrape({ collector: 'two' });
    assert.equal(missing.status, 404);
  });

  it('keeps two musters in one process apart: same names, own values, own instances', async () => {
    const a = muster({ cwd: FIXTURES, config: { plugins: [tally('a-only', { schedule: 'on-scrape', config: { value: 1 } })] } });
    const b = muster({ cwd: FIXTURES, config: { plugins: [tally('b-only', { schedule: 'on-scrape', config: { value: 2 } })] } });
    await Promise.all([a.start(), b.start()]);
    a.http?.observe({ method: 'GET', route: '/', statusCode: 200 }, 0.01);
    a.http?.observe({ method: 'GET', route: '/', statusCode: 200 }, 0.01);
    b.http?.observe({ method: 'GET', route: '/', statusCode: 200 }, 0.01);
    const pa = parseExposition(await text(a));
    const pb = parseExposition(await text(b));
    assert.equal(sampleValue(pa, 'http_requests_total', { route: '/', method: 'GET', status_code: '200' }), 2);
    assert.equal(sampleValue(pb, 'http_requests_total', { route: '/', method: 'GET', status_code: '200' }), 1);
    assert.equal(pa.samples.some((s) => s.labels.collector === 'b-only'), false);
    assert.equal(pb.samples.some((s) => s.labels.collector === 'a-only'), false);
  });

  it('close() stops scheduling and closes every collector, once', async () => {
    const fixture = (await import(pathToFileURL(join(FIXTURES, 'plugins/tally.mjs')).href)) as { closed: string[] };
    const m = muster({ cwd: FIXTURES, config: { plugins: [tally('to-close', { schedule: 'on-scrape' })] } });
    await m.start();
    await text(m);
    await Promise.all([m.close(), m.close()]);
    assert.deepEqual(
      fixture.closed.filter((n) => n === 'to-close'),
      ['to-close'],
    );
    assert.ok(m.runtime.instances.every((i) => i.closed));
  });

  it('leaves out the request and uptime metrics when asked', async () => {
    const m = muster({ httpMetrics: false, uptime: false });
    assert.equal(m.http, undefined);
    const body = await text(m);
    assert.equal(/^(http_|app_)/m.test(body), false);
  });
});
