import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually, findSamples, parseExposition, sampleValue } from '@muster/testing';
import { writeConfig } from './testing/config-file.js';
import { type Exporter, startExporter } from './testing/exporter-process.js';
import { FIXTURES } from './testing/paths.js';
import { runCli } from './testing/run-cli.js';

const SLEEPY = join(FIXTURES, 'sleepy.mjs');

/** Ten levels of nine aliases: 469 bytes, 9^10 (3.5 billion) values once expanded. */
function aliasBomb(): string {
  const names = 'abcdefghij';
  const lines = [`a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]`];
  for (let i = 1; i < 10; i++) lines.push(`${names[i]}: &${names[i]} [${Array.from({ length: 9 }, () => `*${names[i - 1]}`).join(', ')}]`);
  return `${lines.join('\n')}\nplugins: *j\n`;
}

const GOOD = `server: { reloadEndpoint: true }\nplugins:\n  - { name: steady, use: ${SLEEPY}, schedule: 200ms, timeout: 150ms, config: { sleepMs: 1 } }\n`;
const DEEP_JSON = `{"plugins": ${'['.repeat(2_000)}${']'.repeat(2_000)}}`;

describe('hostile config files', () => {
  it('validate refuses a 470-byte alias bomb by its alias count', async () => {
    const bomb = aliasBomb();
    assert.ok(bomb.length >= 450 && bomb.length <= 520, `${bomb.length} bytes`);
    const res = await runCli(['validate', '--config', writeConfig(bomb)]);
    assert.equal(res.code, 1, res.stderr);
    assert.match(res.stderr, /over the limit maxAliases=100/);
    assert.match(res.stderr, /MUSTER_ERR_CONFIG_LIMIT/);
    assert.doesNotMatch(res.stderr, /heap|RangeError| {4}at /);
  });

  it('validate refuses JSON nested 2,000 deep with a clear error, not a RangeError stack', async () => {
    const res = await runCli(['validate', '--config', writeConfig(DEEP_JSON, 'muster.json')]);
    assert.equal(res.code, 1, res.stderr);
    assert.match(res.stderr, /over the limit maxDepth=64: arrays and objects nested more than 64 levels deep at line 1 \[MUSTER_ERR_CONFIG_LIMIT\]/);
    assert.doesNotMatch(res.stderr, /RangeError|Maximum call stack| {4}at /);
  });

  it('validate refuses an empty file and a comment-only file, and accepts plugins: []', async () => {
    for (const text of ['', '# nothing here yet\n# muster.yaml\n', '---\n']) {
      const res = await runCli(['validate', '--config', writeConfig(text)]);
      assert.equal(res.code, 1, `${JSON.stringify(text)}: ${res.stdout}`);
      assert.match(res.stderr, /holds no configuration \(it is empty or only comments\); write "plugins: \[\]" to run no instance on purpose \[MUSTER_ERR_CONFIG_EMPTY\]/);
    }
    // Found by the search too (not skipped in favour of another name).
    const empty = writeConfig('');
    const searched = await runCli(['validate'], { cwd: join(empty, '..') });
    assert.equal(searched.code, 1);
    assert.match(searched.stderr, /MUSTER_ERR_CONFIG_EMPTY/);
    const nothing = await runCli(['validate', '--config', writeConfig('plugins: []\n')]);
    assert.equal(nothing.code, 0, nothing.stderr);
    assert.match(nothing.stdout, /valid, 0 instance\(s\)/);
  });

  it('start refuses the alias bomb and exits 1', async () => {
    const res = await runCli(['start', '--config', writeConfig(aliasBomb()), '--port', '0', '--host', '127.0.0.1']);
    assert.equal(res.code, 1, res.stderr);
    assert.match(res.stderr, /maxAliases=100.*MUSTER_ERR_CONFIG_LIMIT/);
  });

  describe('a running exporter', () => {
    let exporter: Exporter;
    let file: string;
    before(async () => {
      file = writeConfig(GOOD);
      exporter = await startExporter(file);
      assert.ok(await eventually(async () => sampleValue(parseExposition((await exporter.scrape()).body), 'muster_collector_up', { collector: 'steady' }) === 1));
    });
    after(() => exporter?.stop());

    const reload = () => fetch(`${exporter.url}/-/reload`, { method: 'POST', headers: { 'x-muster-reload': '1' } });
    const stillRunning = async () => {
      const samples = parseExposition((await exporter.scrape()).body);
      assert.equal(sampleValue(samples, 'muster_collector_up', { collector: 'steady' }), 1, 'the running config stays');
      assert.equal(sampleValue(samples, 'muster_config_last_reload_successful'), 0, 'the refusal is exported');
      assert.equal(exporter.process.exitCode, null, 'the process is still running');
    };

    it('SIGHUP with the alias bomb in place: refused, logged, the running config stays', async () => {
      writeFileSync(file, aliasBomb());
      exporter.process.kill('SIGHUP');
      assert.ok(await eventually(async () => /"msg":"reload refused: the running configuration stays"/.test(exporter.output())), exporter.output());
      assert.match(exporter.output(), /maxAliases=100/);
      await stillRunning();
    });

    it('POST /-/reload with the alias bomb and with deep JSON: 500 naming the limit, config kept', async () => {
      writeFileSync(file, aliasBomb());
      const res = await reload();
      assert.equal(res.status, 500);
      const body = (await res.json()) as { ok: boolean; error: string };
      assert.equal(body.ok, false);
      assert.match(body.error, /over the limit maxAliases=100.*\[MUSTER_ERR_CONFIG_LIMIT\]/);
      // The file is YAML by its name: JSON is YAML, and its nesting is refused the same way.
      writeFileSync(file, DEEP_JSON);
      const deep = await reload();
      assert.equal(deep.status, 500);
      assert.match(((await deep.json()) as { error: string }).error, /maxDepth=64/);
      await stillRunning();
    });

    it('a reload to a truncated (0-byte) or comment-only file is refused and removes nothing', async () => {
      for (const text of ['', '# emptied by mistake\n']) {
        writeFileSync(file, text);
        const res = await reload();
        assert.equal(res.status, 500);
        assert.match(((await res.json()) as { error: string }).error, /MUSTER_ERR_CONFIG_EMPTY/);
        await stillRunning();
      }
      writeFileSync(file, GOOD);
      assert.equal((await reload()).status, 200);
      const samples = parseExposition((await exporter.scrape()).body);
      assert.equal(sampleValue(samples, 'muster_config_last_reload_successful'), 1);
      assert.equal(findSamples(samples, 'muster_collector_up').length, 1);
    });
  });
});
