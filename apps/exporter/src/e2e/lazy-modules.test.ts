import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { eventually, freePort } from '@muster/testing';
import bcrypt from 'bcrypt';
import { startExporter } from './testing/exporter-process.js';
import { writeConfig } from './testing/config-file.js';
import { REPO_ROOT } from './testing/paths.js';

/**
 * Code a config does not use is not loaded at start (it would only cost resident memory): each
 * pattern names a module by the path of its file, as the module loader sees it.
 */
const UNUSED_BY_DEFAULT: Readonly<Record<string, RegExp>> = {
  'ajv (fastify schema compilers)': /\/node_modules\/(ajv|@fastify\/ajv-compiler|@fastify\/fast-json-stringify-compiler)\//,
  bcrypt: /\/node_modules\/bcrypt\//,
  "the web config's code": /\/web-config\/(load|live|auth|hooks|tls-server)\.js$/,
  'cron and luxon': /\/node_modules\/(cron|luxon)\//,
  // A plain YAML file is read by the fast reader; cosmiconfig only reads JS and package.json configs.
  'the yaml package': /\/node_modules\/yaml\//,
  cosmiconfig: /\/node_modules\/cosmiconfig\//,
  're2js (allowedTargets patterns)': /\/node_modules\/re2js\//,
  // http-health sends its checks with Node's own client; got loads when a plugin reads ctx.http.
  got: /\/node_modules\/got\//,
  // got (patched) loads it on the first request with `http2: true`.
  'http2-wrapper': /\/node_modules\/http2-wrapper\//,
};

/**
 * Starts `muster start` with a preload that writes the URL of every module it loads to a file,
 * and returns the exporter with a reader of that list.
 */
async function startRecording(config: string, options: { env?: Record<string, string>; port?: number; waitFor?: 'healthz' | 'none' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'muster-modules-'));
  const list = join(dir, 'modules.txt');
  const preload = join(dir, 'record.mjs');
  writeFileSync(list, '');
  writeFileSync(
    preload,
    `import { registerHooks } from 'node:module';
import { appendFileSync } from 'node:fs';
registerHooks({ load(url, context, next) { appendFileSync(${JSON.stringify(list)}, url + '\\n'); return next(url, context); } });
`,
  );
  const exporter = await startExporter(config, { ...options, env: { ...options.env, NODE_OPTIONS: `--import=${pathToFileURL(preload).href}` } });
  return { exporter, loaded: () => readFileSync(list, 'utf8').split('\n').filter((l) => l !== '') };
}

/** The modules in `loaded` matching each pattern of {@link UNUSED_BY_DEFAULT}. */
function unusedLoaded(loaded: readonly string[]): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const [name, pattern] of Object.entries(UNUSED_BY_DEFAULT)) {
    const hits = loaded.filter((url) => pattern.test(url));
    if (hits.length > 0) found[name] = hits;
  }
  return found;
}

describe('modules loaded at start', () => {
  it('the default config loads neither ajv, bcrypt, the web config code, cron, yaml, cosmiconfig, re2js, got nor http2-wrapper', async () => {
    const port = await freePort();
    const { exporter, loaded } = await startRecording(join(REPO_ROOT, 'muster.yaml'), { port, env: { MUSTER_PORT: String(port) } });
    try {
      // A scrape and the self-check's first cycle have run: the modules of the serving path are in.
      assert.equal((await exporter.scrape()).status, 200);
      const modules = loaded();
      assert.ok(modules.some((url) => url.endsWith('/fastify/fastify.js')), 'the preload records what loads');
      assert.deepEqual(unusedLoaded(modules), {});
    } finally {
      await exporter.stop();
    }
  });

  it('a web config with basic auth and a cron schedule load bcrypt, the web config code (and its yaml reader) and cron, and work', async () => {
    const config = writeConfig(
      `server:\n  webConfig: web.yml\nplugins:\n  - name: every-minute\n    use: http-health\n    schedule: "0 * * * * *"\n    config:\n      url: http://127.0.0.1:9/\n`,
    );
    writeFileSync(join(config, '..', 'web.yml'), `basic_auth_users:\n  alice: ${bcrypt.hashSync('right', 4)}\n`);
    // Behind basic auth, /healthz answers 401: wait for the log line instead.
    const { exporter, loaded } = await startRecording(config, { waitFor: 'none' });
    try {
      assert.ok(await eventually(async () => exporter.output().includes('"msg":"muster is listening"'), 120_000), exporter.output());
      assert.equal((await exporter.scrape('/metrics')).status, 401, 'no credentials');
      const good = { authorization: `Basic ${Buffer.from('alice:right').toString('base64')}` };
      const bad = { authorization: `Basic ${Buffer.from('alice:wrong').toString('base64')}` };
      assert.equal((await exporter.scrape('/metrics', bad)).status, 401, 'a wrong password');
      // The cron instance runs once at start: its series appear without waiting for the minute.
      assert.ok(await eventually(async () => /collector="every-minute"/.test((await exporter.scrape('/metrics', good)).body), 60_000), 'served with the right password');
      const found = unusedLoaded(loaded());
      // The web config file is read by the yaml package (its keys' places for errors); the main config
      // stays on the fast reader.
      assert.deepEqual(Object.keys(found).sort(), ['bcrypt', 'cron and luxon', "the web config's code", 'the yaml package']);
    } finally {
      await exporter.stop();
    }
  });
});
