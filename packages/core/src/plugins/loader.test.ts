import 'reflect-metadata';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { API_VERSION, PLUGIN_MARK } from '@muster/sdk';
import { type ErrorCode, isMusterError } from '../errors.js';
import { checkPluginShape, PluginLoader } from './loader.js';
import { isPathReference, resolvePlugin } from './resolve.js';

/** packages/core/test-fixtures/, seen from dist/plugins/: the "config file's folder" of these tests. */
const CONFIG_DIR = fileURLToPath(new URL('../../test-fixtures/', import.meta.url));
const PLUGINS_URL = new URL('../../test-fixtures/plugins/', import.meta.url);

function newLoader(builtins: Record<string, string> = {}): PluginLoader {
  return new PluginLoader({ builtins, hostUrls: [import.meta.url] });
}

async function rejectsWith(promise: Promise<unknown>, code: ErrorCode, pattern?: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(isMusterError(err), `expected a MusterError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (pattern !== undefined) assert.match(err.message, pattern);
    return true;
  });
}

describe('PluginLoader', () => {
  it('loads a path plugin relative to the config folder, not the cwd', async () => {
    assert.notEqual(process.cwd(), CONFIG_DIR.replace(/\/$/, ''));
    const loaded = await newLoader().load('./plugins/good.mjs', CONFIG_DIR);
    assert.equal(loaded.plugin.name, 'fixture');
    assert.equal(loaded.plugin.apiVersion, API_VERSION);
    assert.equal(loaded.plugin[PLUGIN_MARK], true);
    assert.equal(loaded.url, new URL('good.mjs', PLUGINS_URL).href);
  });

  it('loads a path that climbs out of the config folder with ../', async () => {
    const loaded = await newLoader().load('../bare.mjs', `${CONFIG_DIR}plugins/folder-plugin`);
    assert.equal(loaded.plugin.name, 'bare');
  });

  it('loads a folder through the entry point its package.json exports', async () => {
    const loaded = await newLoader().load('./plugins/folder-plugin', CONFIG_DIR);
    assert.equal(loaded.plugin.name, 'folder-plugin');
    assert.equal(loaded.url, new URL('folder-plugin/entry.mjs', PLUGINS_URL).href);
  });

  it('loads a built-in short name through the host URLs', async () => {
    const loader = newLoader({ fixture: '../../test-fixtures/plugins/good.mjs' });
    const loaded = await loader.load('fixture', '/nonexistent-config-dir');
    assert.equal(loaded.plugin.name, 'fixture');
  });

  it('loads a package name resolvable from the host', async () => {
    // @muster/sdk is no plugin, but it resolves: the error proves resolution worked and the shape check ran.
    await rejectsWith(newLoader().load('@muster/sdk', CONFIG_DIR), 'MUSTER_ERR_PLUGIN_INVALID', /@muster\/sdk/);
  });

  it('loads a plain object of the right shape (no definePlugin)', async () => {
    const loaded = await newLoader().load('./plugins/plain.mjs', CONFIG_DIR);
    assert.equal(loaded.plugin.name, 'plain-object');
    assert.equal(typeof loaded.plugin.create, 'function');
  });

  it('accepts a plugin exported as `plugin` when there is no default export', async () => {
    const loaded = await newLoader().load('./plugins/named-export.mjs', CONFIG_DIR);
    assert.equal(loaded.plugin.name, 'named-export');
  });

  it('imports each module once and answers later loads from its cache', async () => {
    const loader = newLoader({ fixture: '../../test-fixtures/plugins/good.mjs' });
    const a = await loader.load('./plugins/good.mjs', CONFIG_DIR);
    const b = await loader.load('fixture', CONFIG_DIR);
    assert.equal(a.url, b.url);
    assert.equal(a.plugin, b.plugin);
  });

  it('refuses a missing file with MUSTER_ERR_PLUGIN_NOT_FOUND', async () => {
    await rejectsWith(
      newLoader().load('./plugins/missing.mjs', CONFIG_DIR),
      'MUSTER_ERR_PLUGIN_NOT_FOUND',
      /\.\/plugins\/missing\.mjs/,
    );
  });

  it('refuses an unknown name with MUSTER_ERR_PLUGIN_NOT_FOUND listing the built-ins', async () => {
    const loader = newLoader({ fixture: '../../test-fixtures/plugins/good.mjs', other: 'x' });
    await rejectsWith(loader.load('no-such-plugin-anywhere', CONFIG_DIR), 'MUSTER_ERR_PLUGIN_NOT_FOUND', /fixture, other/);
  });

  it('suggests the built-in a misspelt name was meant to be', async () => {
    const loader = newLoader({ 'http-health': '../../test-fixtures/plugins/good.mjs', other: '../../test-fixtures/plugins/good.mjs' });
    await rejectsWith(loader.load('http-helth', CONFIG_DIR), 'MUSTER_ERR_PLUGIN_NOT_FOUND', /"http-helth" is none of these \(did you mean "http-health"\?\)/);
    await rejectsWith(loader.load('HTTP-Health', CONFIG_DIR), 'MUSTER_ERR_PLUGIN_NOT_FOUND', /did you mean "http-health"\?/);
    const far = loader.load('zzzzqqqq', CONFIG_DIR);
    await assert.rejects(far, (err: Error) => !err.message.includes('did you mean'));
  });

  it('refuses a built-in whose package is not installed with MUSTER_ERR_PLUGIN_NOT_FOUND', async () => {
    const loader = newLoader({ ghost: '@muster/plugin-ghost-not-installed' });
    await rejectsWith(loader.load('ghost', CONFIG_DIR), 'MUSTER_ERR_PLUGIN_NOT_FOUND', /@muster\/plugin-ghost-not-installed/);
  });

  it('refuses a module without a default export with MUSTER_ERR_PLUGIN_INVALID', async () => {
    await rejectsWith(newLoader().load('./plugins/no-default.mjs', CONFIG_DIR), 'MUSTER_ERR_PLUGIN_INVALID', /definePlugin/);
  });

  it('refuses a plugin whose name is not kebab-case with MUSTER_ERR_PLUGIN_INVALID', async () => {
    await rejectsWith(newLoader().load('./plugins/bad-name.mjs', CONFIG_DIR), 'MUSTER_ERR_PLUGIN_INVALID', /Not_Kebab/);
  });

  it('refuses another plugin API version with MUSTER_ERR_PLUGIN_API_VERSION naming both versions', async () => {
    await rejectsWith(
      newLoader().load('./plugins/api99.mjs', CONFIG_DIR),
      'MUSTER_ERR_PLUGIN_API_VERSION',
      new RegExp(`version 99, this muster supports ${API_VERSION}`),
    );
  });

  it('refuses a plugin that brings its own copy of @muster/sdk with MUSTER_ERR_PLUGIN_SDK_COPY', async () => {
    // A plugin folder with its own node_modules/@muster/sdk (a copy, not muster's).
    const dir = mkdtempSync(join(tmpdir(), 'muster-sdk-copy-'));
    const sdk = join(dir, 'node_modules', '@muster', 'sdk');
    mkdirSync(join(sdk, 'dist'), { recursive: true });
    writeFileSync(join(sdk, 'package.json'), JSON.stringify({ name: '@muster/sdk', type: 'module', exports: { '.': './dist/index.js' } }));
    writeFileSync(join(sdk, 'dist', 'index.js'), 'export const API_VERSION = 1;\n');
    writeFileSync(join(dir, 'plugin.mjs'), "import { API_VERSION } from '@muster/sdk';\nexport default { name: 'copycat', apiVersion: API_VERSION, configSchema: { safeParse: (v) => ({ success: true, data: v }) }, create: () => ({ collect() {} }) };\n");
    await rejectsWith(newLoader().load('./plugin.mjs', dir), 'MUSTER_ERR_PLUGIN_SDK_COPY', /peerDependency/);
    // The same plugin without its own copy resolves muster's and loads.
    rmSync(join(dir, 'node_modules'), { recursive: true });
    mkdirSync(join(dir, 'node_modules', '@muster'), { recursive: true });
    symlinkSync(fileURLToPath(new URL('../../../sdk', import.meta.url)), join(dir, 'node_modules', '@muster', 'sdk'), 'dir');
    const loaded = await new PluginLoader({ builtins: {}, hostUrls: [import.meta.url] }).load('./plugin.mjs', dir);
    assert.equal(loaded.plugin.name, 'copycat');
  });

  it('reports a module that throws at import with MUSTER_ERR_PLUGIN_LOAD and the cause', async () => {
    await assert.rejects(newLoader().load('./plugins/throws.mjs', CONFIG_DIR), (err: unknown) => {
      assert.ok(isMusterError(err, 'MUSTER_ERR_PLUGIN_LOAD'));
      assert.match(err.message, /fixture exploded at import time/);
      assert.ok(err.cause instanceof Error);
      return true;
    });
  });
});

describe('checkPluginShape', () => {
  const schema = { safeParse: () => ({ success: true }) };
  const good = { name: 'ok', apiVersion: 1, configSchema: schema, create: () => ({ collect() {} }) };

  it('accepts a minimal plugin', () => {
    assert.equal(checkPluginShape(good), undefined);
  });

  it('says what is wrong with everything else', () => {
    assert.match(checkPluginShape(null) ?? '', /found null/);
    assert.match(checkPluginShape('plugin') ?? '', /found string/);
    assert.match(checkPluginShape({ ...good, name: 'Has Spaces' }) ?? '', /kebab-case/);
    assert.match(checkPluginShape({ ...good, name: 'trailing-' }) ?? '', /kebab-case/);
    assert.match(checkPluginShape({ ...good, apiVersion: '1' }) ?? '', /apiVersion/);
    assert.match(checkPluginShape({ ...good, configSchema: {} }) ?? '', /configSchema/);
    assert.match(checkPluginShape({ ...good, create: 'nope' }) ?? '', /create/);
  });
});

describe('resolvePlugin', () => {
  it('tells paths from names', () => {
    for (const p of ['./a', '../a', '/abs/a', '.']) assert.equal(isPathReference(p), true, p);
    for (const n of ['http-health', '@scope/pkg', 'a/b', '.hidden']) assert.equal(isPathReference(n), false, n);
  });

  it('resolves a path to a file URL and says so', () => {
    const resolved = resolvePlugin('./plugins/good.mjs', CONFIG_DIR, { builtins: {}, hostUrls: [] });
    assert.deepEqual(resolved, { url: pathToFileURL(`${CONFIG_DIR}plugins/good.mjs`).href, via: 'path' });
  });

  it('tries each host URL in turn for a built-in', () => {
    const resolved = resolvePlugin('fixture', CONFIG_DIR, {
      builtins: { fixture: '@muster/sdk' },
      hostUrls: ['file:///nowhere/at/all.js', import.meta.url],
    });
    assert.equal(resolved.via, 'builtin');
    assert.match(resolved.url, /packages\/sdk\/dist\/index\.js$/);
  });
});
