import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeConfig } from './testing/config-file.js';
import { type Exporter, startExporter } from './testing/exporter-process.js';
import { type TestServer, testServer } from './testing/http-backend.js';
import { runCli } from './testing/run-cli.js';

const TOKEN = 'ci-token-hostile-5150';

/** What a hostile caller of /probe tries, against a real `muster start`. */
describe('GET /probe against a hostile caller', { timeout: 180_000 }, () => {
  let backend: TestServer;
  let hanging: TestServer;
  let trap: TestServer;
  let exporter: Exporter;
  /** Authorization headers the caller's own server received. */
  const caught: string[] = [];

  before(async () => {
    backend = await testServer((_req, res) => res.end('ok'));
    hanging = await testServer(() => {
      // never answers
    });
    trap = await testServer((req, res) => {
      caught.push(String(req.headers.authorization));
      res.end('{}');
    });
    const config = writeConfig(`modules:
  web:
    use: http-health
    maxTargets: 3
  redos:
    use: http-health
    allowedTargets: ['http://(a+)+b/']
  ci:
    use: jenkins
    config: { username: muster, token: "\${file:./token}" }
    allowedTargets: ['http://127\\.0\\.0\\.1:${backend.port}/']
`);
    writeFileSync(join(dirname(config), 'token'), `${TOKEN}\n`);
    exporter = await startExporter(config);
  });
  after(async () => {
    await exporter?.stop();
    await Promise.all([backend?.stop(), hanging?.stop(), trap?.stop()]);
  });

  const probe = (module: string, target: string, headers: Record<string, string> = {}) =>
    exporter.scrape(`/probe?module=${module}&target=${encodeURIComponent(target)}`, headers);

  it('refuses at start a module holding credentials without allowedTargets, naming the path and not the secret', async () => {
    const config = writeConfig(`modules:
  ci:
    use: jenkins
    config: { username: muster, token: "${TOKEN}" }
`);
    const checked = await runCli(['validate', '--config', config]);
    assert.notEqual(checked.code, 0);
    assert.match(checked.stderr, /modules\.ci\.allowedTargets: required when the module holds credentials \(config\.token\)/);
    assert.doesNotMatch(`${checked.stdout}${checked.stderr}`, new RegExp(TOKEN));
  });

  it('never presents a module\'s credentials to a target of the caller\'s choosing', async () => {
    const answer = await probe('ci', `${trap.url}/`);
    assert.equal(answer.status, 400);
    assert.match(answer.body, /matches none of the module's allowedTargets/);
    assert.deepEqual(caught, [], 'the caller\'s server was never contacted');
  });

  it('shows no password a target URL carries: not on the status page, in /api/status, a 400 or the logs', async () => {
    const forms = [
      `http://probe-user:pw@-8128@127.0.0.1:${backend.port}/a`,
      ` http://probe-user:pw-8128@127.0.0.1:${backend.port}/b`,
      `HTTP://probe-user:pw-8128@127.0.0.1:${backend.port}/c`,
      `http:probe-user:pw-8128@127.0.0.1:${backend.port}/d`,
    ];
    for (const form of forms) {
      const answer = await probe('web', form);
      assert.equal(answer.status, 200, answer.body);
      assert.match(answer.body, /^muster_probe_success 1$/m, form);
    }
    const refused = await probe('ci', `http://probe-user:pw-8128@127.0.0.1:${backend.port}/`);
    assert.equal(refused.status, 400);
    const jenkins = await runCli(['validate', '--config', writeConfig(`plugins:\n  - { name: ci, use: jenkins, config: { url: "http://probe-user:pw-8128@127.0.0.1/" } }\n`)]);
    assert.notEqual(jenkins.code, 0);
    assert.match(jenkins.stderr, /plugins\[0\]\.config\.url: expected no user or password/);
    const page = (await exporter.scrape('/')).body;
    const api = (await exporter.scrape('/api/status')).body;
    assert.match(api, /http:\/\/…@127\.0\.0\.1/);
    for (const [where, text] of Object.entries({ page, api, refused: refused.body, validate: jenkins.stderr, logs: exporter.output() })) {
      assert.doesNotMatch(text, /pw-8128|8128@|probe-user/, where);
    }
  });

  it('matches allowedTargets in linear time: a target made to backtrack is refused at once, the exporter keeps answering', async () => {
    const [refused, health] = await Promise.all([probe('redos', `http://${'a'.repeat(2000)}!`), exporter.scrape('/healthz')]);
    assert.equal(refused.status, 400);
    assert.match(refused.body, /matches none of the module's allowedTargets/);
    assert.equal(health.status, 200);
  });

  it('escapes a hostile target on the status page', async () => {
    await probe('web', `http://127.0.0.1:${backend.port}/<script>alert("x")</script>`);
    const page = (await exporter.scrape('/')).body;
    assert.doesNotMatch(page, /<script>alert/);
    assert.match(page, /&#60;script&#62;alert\(&#34;x&#34;\)&#60;\/script&#62;/);
  });

  it('keeps no more than maxTargets once many concurrent probes of new, hanging targets have ended, and logs no warning for them', async () => {
    const answers = await Promise.all(
      Array.from({ length: 15 }, (_, i) => probe('web', `${hanging.url}/${i}`, { 'x-prometheus-scrape-timeout-seconds': '1' })),
    );
    for (const answer of answers) assert.match(answer.body, /^muster_probe_failure_reason\{reason="timeout"\} 1$/m);
    const status = JSON.parse((await exporter.scrape('/api/status')).body) as { modules: { name: string; targets: number }[] };
    assert.equal(status.modules.find((m) => m.name === 'web')?.targets, 3);
    assert.equal((await exporter.scrape('/healthz')).status, 200);
    assert.doesNotMatch(exporter.output(), /collection cycle failed/, 'a failed probe is no warning: callers cannot flood the log');
  });
});
