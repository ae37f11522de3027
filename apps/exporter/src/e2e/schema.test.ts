import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import { writeConfig } from './testing/config-file.js';
import { compileSchema, describeErrors } from './testing/json-schema.js';
import { FIXTURES, REPO_ROOT } from './testing/paths.js';
import { sampleConfigs, yamlData } from './testing/repo-yaml.js';
import { runCli } from './testing/run-cli.js';

const SCHEMA_FILE = join(REPO_ROOT, 'docs', 'muster.schema.json');
const ITEMS = join(FIXTURES, 'items.mjs');

describe('muster schema', () => {
  let schema: Record<string, unknown>;

  before(async () => {
    const { code, stdout, stderr } = await runCli(['schema']);
    assert.equal(code, 0, stderr);
    schema = JSON.parse(stdout) as Record<string, unknown>;
  });

  it('prints the schema committed as docs/muster.schema.json, and ajv compiles it in strict mode', () => {
    assert.deepEqual(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')), schema, 'docs/muster.schema.json is out of date: run `pnpm --filter @muster/exporter run docs`');
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    compileSchema(schema);
  });

  it('checks each plugin entry\'s config by its `use`', () => {
    const validate = compileSchema(schema);
    const ok = (config: unknown) => validate(config) || assert.fail(`expected valid:\n${describeErrors(validate.errors)}\n${JSON.stringify(config)}`);
    const bad = (config: unknown, why: RegExp) => {
      assert.equal(validate(config), false, `expected invalid: ${JSON.stringify(config)}`);
      assert.match(describeErrors(validate.errors), why);
    };
    ok({ plugins: [{ name: 'a', use: 'http-health', config: { url: 'https://example.com/' } }] });
    ok({ plugins: [{ name: 'a', use: '@muster/plugin-http-health', config: { url: 'https://example.com/' } }] });
    ok({ plugins: [{ name: 'h', use: 'system' }] });
    ok({ server: { port: '${MUSTER_PORT:-9777}' }, defaults: { onFailure: 'keep' }, plugins: [] });
    ok({ plugins: [{ name: 'j', use: 'jenkins', config: { url: 'http://127.0.0.1:8080/', tls: { ca: '${file:ca.pem}' } } }] });
    // A plugin the schema does not know keeps an open config: muster checks it when it loads it.
    ok({ plugins: [{ name: 'x', use: './my-plugin.mjs', config: { anything: [1, 2] } }] });
    bad({ plugins: [{ name: 'a', use: 'http-health' }] }, /config/);
    bad({ plugins: [{ name: 'a', use: 'http-health', config: {} }] }, /url/);
    bad({ plugins: [{ name: 'a', use: 'http-health', config: { url: 'https://x/', urll: 1 } }] }, /additional properties.*urll/);
    bad({ plugins: [{ name: 'a', use: 'http-health', config: { url: 'https://x/', method: 'FETCH' } }] }, /\/config\/method/);
    bad({ plugins: [{ name: 'h', use: 'system', config: { perCpu: 'yes' } }] }, /\/config\/perCpu/);
    bad({ plugins: [{ name: 'p', use: 'postgres', config: { pool: { max: 50 } } }] }, /\/config\/pool\/max/);
    bad({ plugins: [{ name: 'a', use: 'system', onFailure: 'retry' }] }, /onFailure/);
    bad({ plugins: [{ name: 'my site', use: 'system' }] }, /\/name/);
    bad({ plugin: [] }, /additional properties.*plugin/);
  });

  it('carries descriptions and defaults for an editor to show', () => {
    const text = JSON.stringify(schema);
    for (const phrase of ['Where and how muster serves HTTP.', 'The http:// or https:// URL to check', "Jenkins' base URL", 'Export system_memory_bytes', 'One read-only statement']) {
      assert.ok(text.includes(phrase), phrase);
    }
    const server = (schema.properties as Record<string, { properties: Record<string, { default?: unknown }> }>).server;
    assert.equal(server?.properties.port?.default, 9777);
  });

  it('with --config, also describes the external plugins that config names', async () => {
    const file = writeConfig(`plugins:\n  - name: items\n    use: ${ITEMS}\n    config: { url: "http://127.0.0.1:1/" }\n`);
    const { code, stdout, stderr } = await runCli(['schema', '--config', file]);
    assert.equal(code, 0, stderr);
    const validate = compileSchema(JSON.parse(stdout) as object);
    assert.ok(validate(yamlData(readFileSync(file, 'utf8'))), describeErrors(validate.errors));
    assert.equal(validate({ plugins: [{ name: 'items', use: ITEMS, config: { url: 'http://x/', extra: 1 } }] }), false, 'the fixture schema is strict');
    assert.equal(validate({ plugins: [{ name: 'items', use: ITEMS, config: {} }] }), false, 'url is required');
    const missing = await runCli(['schema', '--config', writeConfig('plugins:\n  - { name: a, use: ./nowhere.mjs }\n')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /MUSTER_ERR_PLUGIN_NOT_FOUND/);
  });
});

describe('sample configs', () => {
  const samples = sampleConfigs();
  const validate = compileSchema(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object);

  it('are found: the root muster.yaml and every plugin and example sample', () => {
    assert.ok(samples.includes('muster.yaml'));
    for (const plugin of ['http-health', 'jenkins', 'postgres', 'system']) assert.ok(samples.includes(`plugins/${plugin}/sample.yaml`), plugin);
    assert.ok(samples.some((s) => s.startsWith('examples/')));
  });

  for (const sample of samples) {
    // The root config and every sample.yaml must carry the comment; deploy configs may.
    const required = !sample.startsWith('deploy/');
    it(`${sample} ${required ? 'starts' : 'validates; when it starts'} with a $schema comment pointing at docs/muster.schema.json${required ? ', and validates against it' : ''}`, () => {
      const text = readFileSync(join(REPO_ROOT, sample), 'utf8');
      const first = text.split('\n', 1)[0] ?? '';
      const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
      if (required) assert.ok(m !== null, `first line of ${sample} is the yaml-language-server comment, found: ${first}`);
      if (m !== null) assert.equal(resolve(dirname(join(REPO_ROOT, sample)), m[1] as string), SCHEMA_FILE);
      assert.ok(existsSync(SCHEMA_FILE));
      assert.ok(validate(yamlData(text)), `${sample}:\n${describeErrors(validate.errors)}`);
    });
  }
});
