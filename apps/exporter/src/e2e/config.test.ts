import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseExposition, sampleValue } from '@muster/testing';
import { writeConfig } from './testing/config-file.js';
import { compileSchema, describeErrors } from './testing/json-schema.js';
import { CLI, FIXTURES, REPO_ROOT } from './testing/paths.js';
import { yamlData } from './testing/repo-yaml.js';
import { runCli } from './testing/run-cli.js';

const BUILTINS = ['http-health', 'jenkins', 'postgres', 'system'];
const validateSchema = compileSchema(JSON.parse(readFileSync(join(REPO_ROOT, 'docs', 'muster.schema.json'), 'utf8')) as object);

/** `muster config ARGS`, written to a temp file; returns its text and path. */
async function starter(args: string[]): Promise<{ text: string; file: string }> {
  const { code, stdout, stderr } = await runCli(['config', ...args]);
  assert.equal(code, 0, stderr);
  return { text: stdout, file: writeConfig(stdout) };
}

describe('muster config', () => {
  for (const plugin of BUILTINS) {
    it(`prints a starter for ${plugin} that muster validate and the JSON Schema accept`, async () => {
      const { text, file } = await starter([plugin]);
      assert.match(text, /^# yaml-language-server: \$schema=muster\.schema\.json\n/);
      assert.match(text, new RegExp(`^ {4}use: ${plugin}$`, 'm'));
      const checked = await runCli(['validate', '--config', file]);
      assert.equal(checked.code, 0, `${checked.stderr}\n${text}`);
      assert.match(checked.stdout, /valid, 1 instance\(s\)/);
      assert.ok(validateSchema(yamlData(text)), describeErrors(validateSchema.errors));
    });
  }

  it('shows every option of the plugin, and marks placeholders of required values', async () => {
    const { text } = await starter(['http-health']);
    for (const option of ['url', 'method', 'headers', 'body', 'expectedStatus', 'bodyMatch', 'timeout', 'tls', 'ca', 'insecureSkipVerify', 'followRedirects', 'maxRedirects', 'maxBodyBytes', 'buckets']) {
      assert.match(text, new RegExp(`^\\s+(# )?${option}:`, 'm'), option);
    }
    assert.match(text, /# required — a placeholder, replace it: .*\n\s+url: http:\/\/127\.0\.0\.1:8080\/\n/);
    assert.match(text, /# The http:\/\/ or https:\/\/ URL to check/);
    const pg = await starter(['postgres']);
    assert.match(pg.text, /required — a placeholder, replace it: a host/);
    assert.match(pg.text, /^ {6}host: 127\.0\.0\.1$/m);
  });

  it('with no plugin named, describes every built-in plugin in one valid file', async () => {
    const { text, file } = await starter([]);
    const data = yamlData(text) as { plugins: { use: string }[] };
    assert.deepEqual(data.plugins.map((p) => p.use).sort(), BUILTINS);
    const checked = await runCli(['validate', '--config', file]);
    assert.equal(checked.code, 0, checked.stderr);
    assert.ok(validateSchema(data), describeErrors(validateSchema.errors));
  });

  it('runs: the system and http-health starters collect with `muster once`', async () => {
    const { file } = await starter(['system', 'http-health', '--schema', '']);
    const once = await runCli(['once', '--config', file]);
    assert.equal(once.code, 0, once.stderr);
    const parsed = parseExposition(once.stdout);
    assert.equal(sampleValue(parsed, 'muster_collector_up', { collector: 'system' }), 1);
    assert.equal(sampleValue(parsed, 'muster_collector_up', { collector: 'http-health' }), 1);
    assert.ok(sampleValue(parsed, 'system_cpus', { collector: 'system' }) > 0);
  });

  it('describes a plugin given by path, and refuses an unknown one', async () => {
    const { text, file } = await starter([join(FIXTURES, 'items.mjs')]);
    assert.match(text, /url: http:\/\/127\.0\.0\.1:8080\//);
    assert.equal((await runCli(['validate', '--config', file])).code, 0);
    const unknown = await runCli(['config', 'no-such-plugin']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /MUSTER_ERR_PLUGIN_NOT_FOUND/);
    assert.match(unknown.stderr, /http-health/);
  });
});

describe('muster validate output', () => {
  const ESC = '\u001b[';

  it('gives a YAML syntax error its line and column and shows the lines around it, plain when piped', async () => {
    const file = writeConfig('plugins:\n  - name: a\n   use: x\n');
    const { code, stderr } = await runCli(['validate', '--config', file], { env: { NO_COLOR: '', FORCE_COLOR: '' } });
    assert.equal(code, 1);
    assert.ok(stderr.includes(`${file}:3:4: invalid YAML at line 3, column 4: bad indentation`), stderr);
    assert.match(stderr, /^\s+3 \|\s+use: x$/m);
    assert.match(stderr, /MUSTER_ERR_CONFIG_PARSE/);
    assert.ok(!stderr.includes(ESC), 'no color codes in a pipe');
  });

  it('prints every config error with its path, and its line and column in the file', async () => {
    const file = writeConfig('plugins:\n  - name: a\n    use: system\n    timeout: soon\n  - { name: b, use: system, labels: { "9x": y } }\nplugin: []\n');
    const { code, stderr } = await runCli(['validate', '--config', file], { env: { NO_COLOR: '', FORCE_COLOR: '' } });
    assert.equal(code, 1);
    assert.match(stderr, /^ {2}plugins\[0\]\.timeout: expected a duration .* \(line 4, column 5\)$/m);
    assert.match(stderr, /^ {2}plugins\[1\]\.labels\["9x"\]: .* \(line 5, column 39\)$/m);
    assert.match(stderr, /^ {2}\(root\): unknown key "plugin" \(did you mean "plugins"\?\) \(line 6, column 1\)$/m);
  });

  it('is in color on a terminal, and NO_COLOR turns it off', async () => {
    const file = writeConfig('plugins:\n  - { name: a, use: system, timeout: soon }\n');
    const forced = await runCli(['validate', '--config', file], { env: { FORCE_COLOR: '1', NO_COLOR: '' } });
    assert.ok(forced.stderr.includes(`${ESC}33mplugins[0].timeout:`), forced.stderr);
    const off = await runCli(['validate', '--config', file], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    assert.ok(!off.stderr.includes(ESC), off.stderr);
    // A real terminal: util-linux `script` runs the command on a pseudo-terminal.
    const script = spawnSync('sh', ['-c', 'command -v script'], { encoding: 'utf8' }).stdout.trim();
    if (script === '') return;
    const tty = spawnSync(script, ['-qec', `${process.execPath} ${CLI} validate --config ${file}`, '/dev/null'], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '' },
      timeout: 30_000,
    });
    assert.equal(tty.status, 1, tty.stderr);
    assert.ok(tty.stdout.includes(`${ESC}33mplugins[0].timeout:`), `colored on a terminal:\n${JSON.stringify(tty.stdout)}`);
  });
});
