import assert from 'node:assert/strict';
import { get } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { eventually, findSamples, freePort, parseExposition, promtoolCheck, requireTool, sampleValue } from '@muster/testing';
import { writeConfig } from './testing/config-file.js';
import { type Exporter, startExporter } from './testing/exporter-process.js';
import { type TestServer, testServer } from './testing/http-backend.js';
import { REPO_ROOT } from './testing/paths.js';

describe('muster start on the shipped default config', () => {
  let exporter: Exporter;

  before(async () => {
    const port = await freePort();
    exporter = await startExporter(join(REPO_ROOT, 'muster.yaml'), { env: { MUSTER_PORT: String(port) }, port });
  });
  after(async () => {
    assert.equal(await exporter.stop(), 0, 'exits 0 on SIGTERM');
  });

  it('becomes ready and serves self metrics and http-health series that pass promtool', async (t) => {
    assert.ok(await eventually(async () => (await exporter.scrape('/readyz')).status === 200), 'ready');
    // Ready does not wait for the spread: each instance's first cycle comes within its interval (15 s).
    const ran = async () => {
      const p = parseExposition((await exporter.scrape()).body);
      return sampleValue(p, 'muster_collector_last_success_timestamp_seconds', { collector: 'self' }) > 0 && sampleValue(p, 'muster_collector_last_success_timestamp_seconds', { collector: 'host' }) > 0;
    };
    assert.ok(await eventually(ran, 60_000), 'both instances ran once');
    const { status, body, headers } = await exporter.scrape();
    assert.equal(status, 200);
    assert.match(headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const parsed = parseExposition(body);
    assert.deepEqual(parsed.problems, []);
    assert.equal(sampleValue(parsed, 'muster_collector_up', { collector: 'self' }), 1);
    assert.equal(sampleValue(parsed, 'http_health_status', { collector: 'self', http_health_status: 'healthy', role: 'self-check' }), 1);
    assert.equal(sampleValue(parsed, 'http_health_status_code', { collector: 'self' }), 200);
    assert.ok(findSamples(parsed, 'muster_build_info').length === 1);
    // The shipped config also reads this host's CPU and memory through the system plugin.
    assert.equal(sampleValue(parsed, 'muster_collector_up', { collector: 'host' }), 1);
    assert.ok(sampleValue(parsed, 'system_memory_bytes', { collector: 'host', state: 'total' }) > 0);
    assert.ok(findSamples(parsed, 'process_cpu_user_seconds_total').length === 1);
    const tool = requireTool('promtool');
    if ('skip' in tool) return t.skip(tool.skip);
    const check = promtoolCheck(body);
    assert.equal(check.code, 0, check.output);
  });

  it('negotiates OpenMetrics and gzip, and serves /, /healthz and a per-instance slice', async () => {
    const om = await exporter.scrape('/metrics', { accept: 'application/openmetrics-text;version=1.0.0,text/plain;q=0.5' });
    assert.match(om.headers.get('content-type') ?? '', /^application\/openmetrics-text; version=1\.0\.0/);
    assert.ok(om.body.endsWith('# EOF\n'));
    assert.match(om.body, /^# TYPE http_health_status stateset$/m);

    const raw = await new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
      get(`${exporter.url}/metrics`, { headers: { 'accept-encoding': 'gzip' } }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => resolve({ encoding: r.headers['content-encoding'], body: Buffer.concat(chunks) }));
      }).on('error', reject);
    });
    assert.equal(raw.encoding, 'gzip');
    assert.match(gunzipSync(raw.body).toString('utf8'), /^muster_collector_up\{collector="self"\} 1$/m);

    assert.equal((await exporter.scrape('/healthz')).body, 'ok\n');
    const landing = await exporter.scrape('/');
    assert.match(landing.headers.get('content-type') ?? '', /text\/html/);
    assert.match(landing.body, /<th scope="row">self<\/th>/);
    assert.match(landing.body, /href="\/metrics\?collector=self"/);

    const slice = await exporter.scrape('/metrics?collector=self');
    assert.ok(slice.body.includes('http_health_status{collector="self"'));
    assert.ok(!slice.body.includes('muster_collector_up'));
    assert.equal((await exporter.scrape('/metrics?collector=nope')).status, 404);
  });
});

describe('two http-health instances against two local servers', () => {
  let a: TestServer;
  let b: TestServer;
  let exporter: Exporter;

  before(async () => {
    const ok = (_req: unknown, res: import('node:http').ServerResponse) => res.end('ok');
    a = await testServer(ok);
    b = await testServer(ok);
    const config = writeConfig(`
plugins:
  - name: site-a
    use: http-health
    schedule: 300ms
    timeout: 250ms
    config: { url: "${a.url}/" }
  - name: site-b
    use: http-health
    schedule: 300ms
    timeout: 250ms
    labels: { team: web }
    config: { url: "${b.url}/" }
`);
    exporter = await startExporter(config);
  });
  after(async () => {
    await exporter.stop();
    await a.stop();
    await b.stop().catch(() => undefined);
  });

  const status = async (collector: string) => {
    const parsed = parseExposition((await exporter.scrape()).body);
    return {
      healthy: findSamples(parsed, 'http_health_status', { collector, http_health_status: 'healthy' })[0]?.value,
      parsed,
    };
  };

  it('prints one HELP/TYPE per family with both instances\' series', async () => {
    assert.ok(await eventually(async () => (await status('site-a')).healthy === 1 && (await status('site-b')).healthy === 1));
    const { body } = await exporter.scrape();
    for (const family of ['http_health_status', 'http_health_request_duration_seconds', 'muster_collector_up']) {
      assert.equal(body.split('\n').filter((l) => l.startsWith(`# HELP ${family} `)).length, 1, family);
      assert.equal(body.split('\n').filter((l) => l.startsWith(`# TYPE ${family} `)).length, 1, family);
    }
    const parsed = parseExposition(body);
    assert.equal(findSamples(parsed, 'http_health_status_code', { collector: 'site-b', team: 'web' }).length, 1);
    assert.deepEqual(parsed.problems, []);
  });

  it('turns only the stopped backend unhealthy, then healthy again when it returns', async () => {
    await b.stop();
    // One scrape shows both: site-b refused, site-a healthy. (A busy machine may time out a
    // 250 ms check now and then, so the pair is awaited rather than read from the first scrape.)
    let parsed = (await status('site-b')).parsed;
    const refusedBesideHealthy = async () => {
      parsed = (await status('site-b')).parsed;
      return (
        sampleValue(parsed, 'http_health_failure_reason', { collector: 'site-b', http_health_failure_reason: 'connection-refused' }) === 1 &&
        findSamples(parsed, 'http_health_status', { collector: 'site-a', http_health_status: 'healthy' })[0]?.value === 1
      );
    };
    assert.ok(await eventually(refusedBesideHealthy), 'site-b refused while site-a stays healthy');
    assert.equal(findSamples(parsed, 'http_health_status', { collector: 'site-b', http_health_status: 'healthy' })[0]?.value, 0);
    // A refused connection is a result, not a failed cycle: the instance itself stays up.
    assert.equal(sampleValue(parsed, 'muster_collector_up', { collector: 'site-b' }), 1);
    await b.restart();
    assert.ok(await eventually(async () => (await status('site-b')).healthy === 1), 'site-b recovers');
  });
});
