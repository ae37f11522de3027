import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually } from '@muster/testing';
import { writeConfig } from './testing/config-file.js';
import { type Exporter, startExporter } from './testing/exporter-process.js';
import { FIXTURES } from './testing/paths.js';
import { runCli } from './testing/run-cli.js';

const SLEEPY = join(FIXTURES, 'sleepy.mjs');

/** A two-line secret file whose second line holds a quote and a backslash. */
const MULTI = 'first-line-of-the-key\nsecond "line" \\ of-the-key\n';
/** A one-line secret holding a quote and a backslash. */
const QUOTED = 'pa"ss\\word-9f8e7d\n';

/** Every piece of the secrets above, in the forms a leak would take: raw, JSON-escaped once and twice. */
function leaks(text: string): string[] {
  const pieces = ['first-line-of-the-key', 'second "line" \\ of-the-key', 'pa"ss\\word-9f8e7d', 'word-9f8e7d', 'of-the-key'];
  const found: string[] = [];
  for (const piece of pieces) {
    const once = JSON.stringify(piece).slice(1, -1);
    for (const form of [piece, once, JSON.stringify(once).slice(1, -1)]) if (text.includes(form)) found.push(form);
  }
  return found;
}

/** A config in a folder that also holds the two secret files. */
function configWithSecrets(text: string): string {
  const file = writeConfig(text);
  writeFileSync(join(dirname(file), 'multi.txt'), MULTI);
  writeFileSync(join(dirname(file), 'quoted.txt'), QUOTED);
  return file;
}

const steady = `  - { name: steady, use: ${SLEEPY}, schedule: 200ms, timeout: 150ms, config: { sleepMs: 1 } }\n`;
/** Secrets landing in core keys whose error messages quote the value they found. */
const LEAKY = `server: { reloadEndpoint: true }
plugins:
${steady}  - name: leaky
    use: ${SLEEPY}
    onFailure: "\${file:multi.txt}"
    timeout: "\${file:quoted.txt}"
    config: { sleepMs: 1 }
`;
const LABELLED = `server: { reloadEndpoint: true }
defaults:
  labels: { region: "eu-\${file:quoted.txt}" }
plugins:
${steady}  - { name: labelled, use: ${SLEEPY}, labels: { key: "\${file:multi.txt}" }, config: { sleepMs: 1 } }
`;

describe('secrets stay secret in every form', () => {
  it('validate: a multi-line and an escaped secret are redacted, every error still named by its path', async () => {
    const res = await runCli(['validate', '--config', configWithSecrets(LEAKY)]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /plugins\[1\]\.onFailure: expected "drop" or "keep", found "\[REDACTED\]"/);
    assert.match(res.stderr, /plugins\[1\]\.timeout: /);
    assert.deepEqual(leaks(res.stderr + res.stdout), [], res.stderr);
  });

  it('validate: a secret may not become a label value, refused with its path', async () => {
    const res = await runCli(['validate', '--config', configWithSecrets(LABELLED)]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /defaults\.labels\.region: a label value may not hold a secret/);
    assert.match(res.stderr, /plugins\[1\]\.labels\.key: a label value may not hold a secret/);
    assert.deepEqual(leaks(res.stderr + res.stdout), [], res.stderr);
  });

  it('validate: a secret may not become an instance name (the collector label), and is not printed', async () => {
    const file = writeConfig(`plugins:\n  - { name: "\${DB_TOKEN}", use: ${SLEEPY}, config: { sleepMs: 1 } }\n`);
    const res = await runCli(['validate', '--config', file], { env: { DB_TOKEN: 'tok3n-in-a-name' } });
    assert.equal(res.code, 1, res.stdout);
    assert.match(res.stderr, /plugins\[0\]\.name: an instance name may not hold a secret/);
    assert.equal((res.stderr + res.stdout).includes('tok3n-in-a-name'), false, res.stdout + res.stderr);
  });

  it('validate: the default of an unset credential-named variable is a secret too', async () => {
    const file = writeConfig(`plugins:\n  - { name: a, use: ${SLEEPY}, onFailure: "\${API_TOKEN:-default-tok3n}", config: { sleepMs: 1 } }\n`);
    const res = await runCli(['validate', '--config', file]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /plugins\[0\]\.onFailure: expected "drop" or "keep", found "\[REDACTED\]"/);
    assert.equal(res.stderr.includes('default-tok3n'), false, res.stderr);
  });

  it('validate: a credential-named variable is a secret too', async () => {
    const file = writeConfig(`plugins:\n  - { name: a, use: ${SLEEPY}, onFailure: "\${API_TOKEN}", config: { sleepMs: 1 } }\n`);
    const res = await runCli(['validate', '--config', file], { env: { API_TOKEN: 'tok"en\\secret-4242' } });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /plugins\[0\]\.onFailure: expected "drop" or "keep", found "\[REDACTED\]"/);
    assert.equal(res.stderr.includes('secret-4242'), false, res.stderr);
  });

  describe('a running exporter reloading such files', () => {
    let exporter: Exporter;
    let file: string;
    before(async () => {
      file = configWithSecrets(`server: { reloadEndpoint: true }\nplugins:\n${steady}`);
      exporter = await startExporter(file);
    });
    after(() => exporter?.stop());
    const reload = () => fetch(`${exporter.url}/-/reload`, { method: 'POST', headers: { 'x-muster-reload': '1' } });

    it('the JSON answer of POST /-/reload and the log hold no piece of the secrets', async () => {
      writeFileSync(file, LEAKY);
      const res = await reload();
      assert.equal(res.status, 500);
      const text = await res.text();
      assert.match(text, /plugins\[1\]\.onFailure/);
      assert.deepEqual(leaks(text), [], text);
      writeFileSync(file, LABELLED);
      const labelled = await reload();
      assert.equal(labelled.status, 500);
      const labelledText = await labelled.text();
      assert.match(labelledText, /plugins\[1\]\.labels\.key: a label value may not hold a secret/);
      assert.deepEqual(leaks(labelledText), [], labelledText);
      // SIGHUP logs the refusal as a JSON line: the secret would be escaped twice there.
      exporter.process.kill('SIGHUP');
      assert.ok(await eventually(async () => (exporter.output().match(/reload refused/g) ?? []).length >= 3));
      assert.match(exporter.output(), /labels\.key: a label value may not hold a secret/);
      assert.deepEqual(leaks(exporter.output()), [], exporter.output());
    });

    it('/metrics, the status page and its JSON hold no piece of the secrets', async () => {
      for (const path of ['/metrics', '/', '/api/status']) {
        const { status, body } = await exporter.scrape(path);
        assert.equal(status, 200);
        assert.deepEqual(leaks(body), [], `${path}: ${body.slice(0, 500)}`);
      }
      assert.match((await exporter.scrape()).body, /muster_config_last_reload_successful 0/);
    });
  });
});
