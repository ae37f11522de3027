import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, requireTool } from '@muster/testing';
import { writeConfig } from './testing/config-file.js';
import { type Exporter, startExporter } from './testing/exporter-process.js';
import { type TestServer, testServer } from './testing/http-backend.js';

/** bcrypt of "wonderland-pass" (cost 4). */
const ALICE = '$2y$04$f3Gaf46WrAWtY2P178tfH.srDld9OW.Wiif4iaSMES2qRffs9qySm';
const AUTH = { authorization: `Basic ${Buffer.from('alice:wonderland-pass').toString('base64')}` };

describe('GET /probe against a real muster start', { timeout: 180_000 }, () => {
  let backend: TestServer;
  let exporter: Exporter;
  let closed: number;

  before(async () => {
    backend = await testServer((req, res) => {
      res.statusCode = req.url === '/down' ? 503 : 200;
      res.end('ok');
    });
    closed = await freePort();
    const config = writeConfig(`server:
  webConfig: web.yml
modules:
  web:
    use: http-health
    timeout: 5s
    labels: { team: shop }
    allowedTargets: ['http://127\\.0\\.0\\.1:\\d+/.*']
  open:
    use: http-health
    config: { expectedStatus: [200] }
`);
    writeFileSync(join(dirname(config), 'web.yml'), `basic_auth_users:\n  alice: ${ALICE}\n`);
    exporter = await startExporter(config, { waitFor: 'none' });
    // /healthz is behind the basic auth too.
    const deadline = Date.now() + 120_000;
    while ((await exporter.scrape('/healthz', AUTH).catch(() => ({ status: 0 }))).status !== 200) {
      if (exporter.process.exitCode !== null || Date.now() > deadline) throw new Error(`muster did not start:\n${exporter.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  after(async () => {
    await exporter?.stop();
    await backend?.stop();
  });

  const probe = (query: string, headers: Record<string, string> = AUTH) => exporter.scrape(`/probe?${query}`, headers);
  const target = (path: string) => `target=${encodeURIComponent(`${backend.url}${path}`)}`;

  it('obeys the web config as /metrics does', async () => {
    const denied = await probe(`module=web&${target('/ok')}`, {});
    assert.equal(denied.status, 401);
    assert.doesNotMatch(denied.body, /muster_probe/);
  });

  it('answers a healthy target with its series and muster_probe_success 1, no collector label', async () => {
    const ok = await probe(`module=web&${target('/ok')}`);
    assert.equal(ok.status, 200, ok.body);
    assert.match(ok.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    assert.match(ok.body, /^http_health_status\{team="shop",http_health_status="healthy"\} 1$/m);
    assert.match(ok.body, /^muster_probe_success 1$/m);
    assert.doesNotMatch(ok.body, /collector=/);
    const promtool = requireTool('promtool', 'prometheus');
    if (!('skip' in promtool)) {
      const check = spawnSync(promtool.path, ['check', 'metrics'], { input: ok.body, encoding: 'utf8' });
      assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);
    }
  });

  it('answers 200 with muster_probe_success 0 and the reason for a failing target', async () => {
    const down = await probe(`module=web&${target('/down')}`);
    assert.equal(down.status, 200);
    assert.match(down.body, /^muster_probe_success 0$/m);
    assert.match(down.body, /^muster_probe_failure_reason\{reason="status-503"\} 1$/m);
    const refused = await probe(`module=web&target=${encodeURIComponent(`http://127.0.0.1:${closed}/`)}`);
    assert.equal(refused.status, 200);
    assert.match(refused.body, /^muster_probe_failure_reason\{reason="connection-refused"\} 1$/m);
  });

  it('answers 400 with one line for an unknown module, a missing target, a target not allowed or not in the plugin\'s form', async () => {
    const cases: [string, RegExp][] = [
      [`module=nope&${target('/ok')}`, /^unknown module "nope" \(the config defines: web, open\) \[MUSTER_ERR_PROBE_MODULE\]\n$/],
      [target('/ok'), /^unknown module "\(none\)".*\[MUSTER_ERR_PROBE_MODULE\]\n$/],
      ['module=web', /^no target: probe with \?module=NAME&target=TARGET \[MUSTER_ERR_PROBE_TARGET_MISSING\]\n$/],
      [`module=web&target=${encodeURIComponent('http://169.254.169.254/latest/meta-data')}`, /^module "web" refuses the target: it matches none of the module's allowedTargets \[MUSTER_ERR_PROBE_TARGET_REFUSED\]\n$/],
      [`module=open&target=${encodeURIComponent('not a url')}`, /^module "open" refuses the target: url: .* \[MUSTER_ERR_PROBE_TARGET_REFUSED\]\n$/],
    ];
    for (const [query, expected] of cases) {
      const answer = await probe(query);
      assert.equal(answer.status, 400, query);
      assert.match(answer.body, expected, query);
      assert.equal(answer.body.split('\n').length, 2, 'one line');
    }
  });

  it('lists each module\'s recent probes on the status page and in /api/status, newest first', async () => {
    const status = JSON.parse((await exporter.scrape('/api/status', AUTH)).body) as {
      modules: { name: string; targets: number; probes: { success: number; failure: number }; recent: { target: string; success: boolean; reason: string | null }[] }[];
    };
    const web = status.modules.find((m) => m.name === 'web');
    assert.ok(web !== undefined);
    assert.equal(web.recent[0]?.reason, 'connection-refused', 'newest first');
    assert.ok(web.recent.some((p) => p.target === `${backend.url}/down` && !p.success && p.reason === 'status-503'));
    assert.ok(web.recent.some((p) => p.target === `${backend.url}/ok` && p.success));
    assert.equal(web.targets, 3, 'three targets kept');
    const page = (await exporter.scrape('/', AUTH)).body;
    assert.match(page, /<table class="probes" id="module-web" data-module="web">/);
    assert.ok(page.includes(`<code>${backend.url}/down</code>`));
  });

  it('counts probes by module and result in /metrics', async () => {
    const metrics = await exporter.scrape('/metrics', AUTH);
    assert.match(metrics.body, /^muster_probes_total\{module="web",result="success"\} [1-9]\d*$/m);
    assert.match(metrics.body, /^muster_probes_total\{module="web",result="failure"\} [1-9]\d*$/m);
    assert.match(metrics.body, /^muster_probes_total\{module="open",result="success"\} 0$/m);
  });
});
