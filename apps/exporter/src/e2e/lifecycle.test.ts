import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { eventually, findSamples, parseExposition, sampleValue, sleep } from '@muster/testing';
import { writeConfig } from './testing/config-file.js';
import { type Exporter, startExporter } from './testing/exporter-process.js';
import { type TestServer, testServer } from './testing/http-backend.js';
import { FIXTURES } from './testing/paths.js';
import { runCli } from './testing/run-cli.js';

const SLEEPY = join(FIXTURES, 'sleepy.mjs');
const ITEMS = join(FIXTURES, 'items.mjs');

describe('reload', () => {
  let exporter: Exporter;
  after(() => exporter?.stop());

  const configText = (extra: string) => `server:\n  reloadEndpoint: true\nplugins:\n  - { name: steady, use: ${SLEEPY}, schedule: 200ms, timeout: 150ms, config: { sleepMs: 1 } }\n${extra}`;

  it('applies a good file (keeping unchanged instances\' state), refuses a bad one whole, and answers SIGHUP', async () => {
    const file = writeConfig(configText(`  - { name: leaving, use: ${SLEEPY}, schedule: 200ms, timeout: 150ms, config: { sleepMs: 1 } }\n`));
    exporter = await startExporter(file);
    const scrape = async () => parseExposition((await exporter.scrape()).body);
    const cycles = async () => findSamples(await scrape(), 'fixture_sleepy_cycles_total', { collector: 'steady' })[0]?.value ?? 0;
    assert.ok(await eventually(async () => (await cycles()) >= 3));
    const before = await cycles();

    writeFileSync(file, configText(`  - { name: arriving, use: ${SLEEPY}, schedule: 200ms, timeout: 150ms, config: { sleepMs: 2 } }\n`));
    const res = await fetch(`${exporter.url}/-/reload`, { method: 'POST', headers: { 'x-muster-reload': '1' } });
    assert.equal(res.status, 200);
    const outcome = (await res.json()) as { ok: boolean; summary: Record<string, string[]> };
    assert.deepEqual(outcome.summary, { kept: ['steady'], added: ['arriving'], changed: [], removed: ['leaving'] });
    assert.ok(await eventually(async () => findSamples(await scrape(), 'fixture_sleepy_cycles_total', { collector: 'arriving' }).length === 1));
    const now = await scrape();
    assert.equal(findSamples(now, 'muster_collector_up', { collector: 'leaving' }).length, 0, 'the removed instance is gone');
    assert.ok(sampleValue(now, 'fixture_sleepy_cycles_total', { collector: 'steady' }) >= before, 'the kept counter went on, not reset');
    assert.equal(sampleValue(now, 'muster_config_last_reload_successful'), 1);

    // A broken file: refused whole, the running instances go on, the failure is exported.
    writeFileSync(file, configText('  - { name: broken, use: no-such-plugin }\n'));
    const refused = await fetch(`${exporter.url}/-/reload`, { method: 'POST', headers: { 'x-muster-reload': '1' } });
    assert.equal(refused.status, 500);
    assert.match(((await refused.json()) as { error: string }).error, /plugins\[1\]\.use/);
    const after = await scrape();
    assert.equal(sampleValue(after, 'muster_config_last_reload_successful'), 0);
    assert.equal(sampleValue(after, 'muster_collector_up', { collector: 'arriving' }), 1, 'the running config stays');
    assert.equal(findSamples(after, 'muster_collector_up', { collector: 'broken' }).length, 0);
    assert.match(exporter.output(), /reload refused: the running configuration stays/);

    // SIGHUP reloads the same file.
    writeFileSync(file, configText(''));
    exporter.process.kill('SIGHUP');
    assert.ok(await eventually(async () => findSamples(await scrape(), 'muster_collector_up', { collector: 'arriving' }).length === 0));
    assert.equal(sampleValue(await scrape(), 'muster_config_last_reload_successful'), 1);
  });

  it('serves no reload endpoint unless asked', async () => {
    const other = await startExporter(writeConfig(`plugins:\n  - { name: a, use: ${SLEEPY}, config: { sleepMs: 1 } }\n`));
    try {
      assert.equal((await fetch(`${other.url}/-/reload`, { method: 'POST' })).status, 404);
    } finally {
      await other.stop();
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes an in-flight scrape, refuses new ones, closes collectors and exits 0; a second signal forces exit', async () => {
    const exporter = await startExporter(writeConfig(`plugins:\n  - { name: slow, use: ${SLEEPY}, schedule: on-scrape, timeout: 5s, config: { sleepMs: 1500 } }\n`));
    const inflight = exporter.scrape();
    await sleep(300);
    exporter.process.kill('SIGTERM');
    // Asked once the exporter has taken the signal (a busy machine may take a while to deliver it).
    assert.ok(await eventually(async () => exporter.output().includes('"msg":"shutting down"'), 30_000), exporter.output());
    const late = await fetch(`${exporter.url}/healthz`).then(
      (r) => r.status,
      () => 'refused',
    );
    assert.ok(late === 503 || late === 'refused', `a new request after SIGTERM got ${late}`);
    const done = await inflight;
    assert.equal(done.status, 200, 'the scrape in flight finished');
    assert.equal(await exporter.exited(), 0);
    assert.match(exporter.output(), /"msg":"stopped"/);

    const stubborn = await startExporter(writeConfig(`plugins:\n  - { name: deaf, use: ${SLEEPY}, schedule: on-scrape, timeout: 30s, config: { sleepMs: 20000, ignoreSignal: true } }\n`));
    const hanging = stubborn.scrape().catch(() => undefined);
    await sleep(200);
    stubborn.process.kill('SIGTERM');
    await sleep(200);
    stubborn.process.kill('SIGTERM');
    assert.equal(await stubborn.exited(), 1, 'the second signal exits at once, with 1');
    await hanging;
  });
});

describe('secrets', () => {
  let server: TestServer;
  let exporter: Exporter;
  after(async () => {
    await exporter?.stop();
    await server?.stop();
  });

  it('never shows a ${file:} or credential-named env secret in logs, /metrics, the status page or errors', async () => {
    const secret = 'sup3r-s3cret-t0ken-value';
    const envSecret = 'env-p4ssw0rd-value';
    server = await testServer((req, res) => {
      // The backend echoes the Authorization header in an error: a collector must not leak it.
      res.statusCode = 500;
      res.end(`denied for ${req.headers.authorization}`);
    });
    const file = writeConfig(`plugins:
  - name: site
    use: http-health
    schedule: 300ms
    timeout: 250ms
    config: { url: "${server.url}/", headers: { authorization: "Bearer \${file:./token}" } }
  - name: items
    use: ${ITEMS}
    schedule: 300ms
    timeout: 250ms
    config: { url: "${server.url}/?key=\${API_PASSWORD}" }
  - name: jenkins
    use: jenkins
    schedule: 300ms
    timeout: 250ms
    config: { url: "${server.url}/", username: reader, token: "\${file:./token}" }
`);
    writeFileSync(join(dirname(file), 'token'), `${secret}\n`);
    exporter = await startExporter(file, { env: { API_PASSWORD: envSecret }, args: ['--log-level', 'debug'] });
    assert.ok(await eventually(async () => (await exporter.scrape('/readyz')).status === 200));
    await sleep(700);
    const seen = [
      (await exporter.scrape()).body,
      (await exporter.scrape('/metrics', { accept: 'application/openmetrics-text' })).body,
      (await exporter.scrape('/')).body,
      (await exporter.scrape('/api/status')).body,
      exporter.output(),
    ].join('\n');
    assert.match(seen, /collector="jenkins"/);
    assert.ok(!seen.includes(secret), 'the file secret is nowhere');
    assert.ok(!seen.includes(envSecret), 'the env secret is nowhere');
    assert.ok(!seen.includes(encodeURIComponent(envSecret)));

    // A validation error that would quote the secret prints it redacted.
    const bad = writeConfig('plugins:\n  - { name: a, use: http-health, timeout: "${file:./token}", config: { url: "http://127.0.0.1:1/" } }\n');
    writeFileSync(join(dirname(bad), 'token'), `${secret}\n`);
    const result = await runCli(['validate', '--config', bad]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /plugins\[0\]\.timeout/);
    assert.ok(!result.stderr.includes(secret));
  });
});
