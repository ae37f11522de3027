import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { writeConfig } from './testing/config-file.js';
import { FIXTURES } from './testing/paths.js';
import { runCli } from './testing/run-cli.js';

const SLEEPY = join(FIXTURES, 'sleepy.mjs');

/** Broken configs, each with the path its error must name and a word of the message. */
const BROKEN: { name: string; yaml: string; path: string; says: RegExp }[] = [
  { name: 'unknown top-level key', yaml: 'plugins: []\nplugin: []\n', path: '(root)', says: /unknown key "plugin"/ },
  { name: 'port out of range', yaml: 'server: { port: 70000 }\n', path: 'server.port', says: /65535/ },
  { name: 'port not a number', yaml: 'server: { port: http }\n', path: 'server.port', says: /port/ },
  { name: 'metrics path without slash', yaml: 'server: { metricsPath: metrics }\n', path: 'server.metricsPath', says: /\// },
  { name: 'plugins not a list', yaml: 'plugins: { a: 1 }\n', path: 'plugins', says: /expected a list, found a mapping/ },
  { name: 'instance without name', yaml: 'plugins:\n  - use: http-health\n    config: { url: "http://127.0.0.1:1/" }\n', path: 'plugins[0].name', says: /required: expected a string/ },
  { name: 'bad instance name', yaml: 'plugins:\n  - name: "my site"\n    use: http-health\n    config: { url: "http://127.0.0.1:1/" }\n', path: 'plugins[0].name', says: /letters, digits/ },
  { name: 'unknown plugin', yaml: 'plugins:\n  - name: a\n    use: no-such-plugin\n', path: 'plugins[0].use', says: /MUSTER_ERR_PLUGIN_NOT_FOUND/ },
  { name: 'missing plugin file', yaml: 'plugins:\n  - name: a\n    use: ./nowhere.mjs\n', path: 'plugins[0].use', says: /no file or folder/ },
  { name: 'plugin config: bad url', yaml: 'plugins:\n  - name: a\n    use: http-health\n    config: { url: "not a url" }\n', path: 'plugins[0].config.url', says: /url|URL/ },
  { name: 'plugin config: missing url', yaml: 'plugins:\n  - name: a\n    use: http-health\n    config: {}\n', path: 'plugins[0].config.url', says: /./ },
  { name: 'plugin config: unknown key', yaml: 'plugins:\n  - name: a\n    use: http-health\n    config: { url: "http://127.0.0.1:1/", urll: x }\n', path: 'plugins[0].config', says: /urll/ },
  { name: 'duplicate instance names', yaml: `plugins:\n  - { name: a, use: ${SLEEPY}, config: { sleepMs: 1 } }\n  - { name: a, use: ${SLEEPY}, config: { sleepMs: 1 } }\n`, path: 'plugins[1].name', says: /duplicate instance name "a"/ },
  { name: 'bad schedule', yaml: `plugins:\n  - { name: a, use: ${SLEEPY}, schedule: every minute, config: { sleepMs: 1 } }\n`, path: 'plugins[0].schedule', says: /cron|duration/ },
  { name: 'bad cron expression', yaml: `plugins:\n  - { name: a, use: ${SLEEPY}, schedule: "99 * * * * *", config: { sleepMs: 1 } }\n`, path: 'plugins[0].schedule', says: /cron/ },
  { name: 'bad timeout', yaml: `plugins:\n  - { name: a, use: ${SLEEPY}, timeout: soon, config: { sleepMs: 1 } }\n`, path: 'plugins[0].timeout', says: /duration/ },
  { name: 'timeout longer than interval', yaml: `plugins:\n  - { name: a, use: ${SLEEPY}, schedule: 5s, timeout: 10s, config: { sleepMs: 1 } }\n`, path: 'plugins[0].timeout', says: /no longer than the interval/ },
  { name: 'reserved label', yaml: `plugins:\n  - { name: a, use: ${SLEEPY}, labels: { job: x }, config: { sleepMs: 1 } }\n`, path: 'plugins[0].labels.job', says: /reserved/ },
  { name: 'bad label name', yaml: `plugins:\n  - { name: a, use: ${SLEEPY}, labels: { "9x": y }, config: { sleepMs: 1 } }\n`, path: 'plugins[0].labels["9x"]', says: /label name/ },
  { name: 'bad onFailure', yaml: `plugins:\n  - { name: a, use: ${SLEEPY}, onFailure: retry, config: { sleepMs: 1 } }\n`, path: 'plugins[0].onFailure', says: /"drop" or "keep"/ },
  { name: 'bad defaults.timeout', yaml: 'defaults: { timeout: 10 }\n', path: 'defaults.timeout', says: /string/ },
  { name: 'missing env var', yaml: 'plugins:\n  - name: a\n    use: http-health\n    config: { url: "${MUSTER_TEST_UNSET_URL}" }\n', path: 'plugins[0].config.url', says: /MUSTER_TEST_UNSET_URL is not set/ },
  { name: 'unreadable secret file', yaml: 'plugins:\n  - name: a\n    use: http-health\n    config: { url: "http://127.0.0.1:1/", headers: { authorization: "${file:./missing-token}" } }\n', path: 'plugins[0].config.headers.authorization', says: /cannot read file/ },
];

describe('muster validate', () => {
  for (const c of BROKEN) {
    it(`rejects: ${c.name}`, async () => {
      const file = writeConfig(c.yaml);
      const { code, stdout, stderr } = await runCli(['validate', '--config', file]);
      assert.equal(code, 1, `exit code; stderr: ${stderr}`);
      assert.equal(stdout, '');
      const line = stderr.split('\n').find((l) => l.trim().startsWith(`${c.path}:`));
      assert.ok(line !== undefined, `an error naming ${c.path} in:\n${stderr}`);
      assert.match(line, c.says);
    });
  }

  it('lists every error of a file at once', async () => {
    const file = writeConfig(`plugins:\n  - { name: a, use: ${SLEEPY}, timeout: soon, config: { sleepMs: 1 } }\n  - { name: b, use: nope-plugin }\n  - { name: c, use: http-health, config: { url: 5 } }\n`);
    const { code, stderr } = await runCli(['validate', '--config', file]);
    assert.equal(code, 1);
    assert.match(stderr, /3 error\(s\)/);
    for (const path of ['plugins[0].timeout:', 'plugins[1].use:', 'plugins[2].config.url:']) assert.ok(stderr.includes(path), path);
  });

  it('lists core-key and plugin-config problems of the same instances in one run, with did-you-mean and values found', async () => {
    const file = writeConfig(`server:
  port: \${MUSTER_PORT:-abc}
defaults:
  shedule: 15s
plugins:
  - name: shop
    use: http-health
    tiemout: 5s
    onFailure: retry
    maxSeries: lots
    config:
      url: not a url
      methd: GET
      expectedStatus: [ok]
`);
    const { code, stderr } = await runCli(['validate', '--config', file], { env: { MUSTER_PORT: '' } });
    assert.equal(code, 1);
    assert.match(stderr, /8 error\(s\)/, stderr);
    const lines = stderr.split('\n').map((l) => l.trim());
    for (const expected of [
      'server.port: expected a port number 0–65535, found "abc" (from ${MUSTER_PORT:-abc}) (line 2, column 3)',
      'defaults: unknown key "shedule" (did you mean "schedule"?) (line 4, column 3)',
      'plugins[0]: unknown key "tiemout" (did you mean "timeout"?) (line 8, column 5)',
      'plugins[0].onFailure: expected "drop" or "keep", found "retry" (line 9, column 5)',
      'plugins[0].maxSeries: expected a number, found "lots" (line 10, column 5)',
      'plugins[0].config: unknown key "methd" (did you mean "method"?) (line 13, column 7)',
    ]) {
      assert.ok(lines.includes(expected), `${expected}\nin:\n${stderr}`);
    }
    assert.ok(lines.some((l) => l.startsWith('plugins[0].config.url: ')), stderr);
    assert.ok(lines.some((l) => l.startsWith('plugins[0].config.expectedStatus[0]: ') && l.includes('found "ok"')), stderr);
  });

  it('points at odd unknown keys themselves: empty, quoted, unicode, "__proto__"', async () => {
    const file = writeConfig(`plugins:
  - name: shop
    use: http-health
    config:
      url: http://127.0.0.1:1/
      "": 1
      'a"b': 2
      ürl: 3
      __proto__: { polluted: 1 }
`);
    const { code, stderr } = await runCli(['validate', '--config', file]);
    assert.equal(code, 1);
    const lines = stderr.split('\n').map((l) => l.trim());
    for (const expected of [
      'plugins[0].config: unknown key "" (line 6, column 7)',
      'plugins[0].config: unknown key "a\\"b" (line 7, column 7)',
      'plugins[0].config: unknown key "ürl" (did you mean "url"?) (line 8, column 7)',
      'plugins[0].config: unknown key "__proto__" (line 9, column 7)',
    ]) {
      assert.ok(lines.includes(expected), `${expected}\nin:\n${stderr}`);
    }
  });

  it('clamps an inherited timeout to a shorter interval and shows it; an explicit one stays an error', async () => {
    const ok = writeConfig(`plugins:\n  - { name: fast, use: ${SLEEPY}, schedule: 1s, config: { sleepMs: 1 } }\n`);
    const quiet = await runCli(['validate', '--config', ok]);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.match(quiet.stdout, /fast: fixture-sleepy, schedule 1s, timeout 1000ms \(clamped to the interval from 10s\)/);
    const verbose = await runCli(['validate', '--verbose', '--config', ok]);
    assert.equal(verbose.code, 0, verbose.stderr);
    assert.match(verbose.stdout, /fast: fixture-sleepy, schedule 1s, timeout 1000ms \(muster's default 10s, clamped to the interval\), jitter 0ms, onFailure drop/);
    const explicit = writeConfig(`defaults: { timeout: 10s }\nplugins:\n  - { name: fast, use: ${SLEEPY}, schedule: 1s, config: { sleepMs: 1 } }\n`);
    const refused = await runCli(['validate', '--config', explicit]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /plugins\[0\]\.schedule: expected a timeout no longer than the interval; timeout 10s \(set in defaults\.timeout\) > schedule 1s/);
  });

  it('reports YAML syntax errors and missing files', async () => {
    const bad = writeConfig('plugins:\n  - name: a\n   use: x\n');
    const parse = await runCli(['validate', '--config', bad]);
    assert.equal(parse.code, 1);
    assert.match(parse.stderr, /MUSTER_ERR_CONFIG_PARSE/);
    const missing = await runCli(['validate', '--config', join(dirname(bad), 'absent.yaml')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /MUSTER_ERR_CONFIG_NOT_FOUND/);
  });

  it('accepts a good config, finds muster.yaml in the current folder, and reads ${file:} secrets', async () => {
    const file = writeConfig(
      `plugins:\n  - name: site\n    use: http-health\n    schedule: "*/30 * * * * *"\n    config:\n      url: http://127.0.0.1:1/\n      headers: { authorization: "Bearer \${file:./token}" }\n  - { name: slow, use: ${SLEEPY}, schedule: on-scrape, config: { sleepMs: 1 } }\n`,
    );
    writeFileSync(join(dirname(file), 'token'), 'tok-s3cr3t-value\n');
    const { code, stdout, stderr } = await runCli(['validate'], { cwd: dirname(file) });
    assert.equal(code, 0, stderr);
    assert.match(stdout, /valid, 2 instance\(s\)/);
    assert.match(stdout, /site: http-health, schedule \*\/30 \* \* \* \* \*/);
    assert.ok(!stdout.includes('tok-s3cr3t-value') && !stderr.includes('tok-s3cr3t-value'));
  });
});

describe('muster plugins', () => {
  it('lists the built-in plugins with a description', async () => {
    const { code, stdout } = await runCli(['plugins']);
    assert.equal(code, 0);
    assert.match(stdout, /^http-health\s+\S.+$/m);
  });
});
