import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';

const BIN = fileURLToPath(new URL('../../bin/muster.js', import.meta.url));

/** Files below `dir`, recursively. */
function filesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** Runs `muster plugins` with `env` over a clean compile-cache environment. */
function musterPlugins(env: NodeJS.ProcessEnv) {
  const { NODE_COMPILE_CACHE: _dir, NODE_DISABLE_COMPILE_CACHE: _off, ...rest } = process.env;
  return spawnSync(process.execPath, [BIN, 'plugins'], { env: { ...rest, NODE_OPTIONS: '', ...env }, encoding: 'utf8', timeout: 120_000 });
}

describe("the muster command keeps Node's compile cache", () => {
  const root = mkdtempSync(join(tmpdir(), 'muster-compile-cache-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('in the OS temp folder by default, in NODE_COMPILE_CACHE when set, and nowhere with NODE_DISABLE_COMPILE_CACHE=1', () => {
    const temp = mkdtempSync(join(root, 'tmp-'));
    const run = musterPlugins({ TMPDIR: temp });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /http-health/);
    // The modules the command loaded after the cache was enabled, compiled once and kept.
    assert.ok(filesIn(join(temp, 'node-compile-cache')).length > 50, `cache in ${temp}`);

    const chosen = join(root, 'chosen');
    assert.equal(musterPlugins({ TMPDIR: mkdtempSync(join(root, 'tmp-')), NODE_COMPILE_CACHE: chosen }).status, 0);
    assert.ok(filesIn(chosen).length > 50, 'cache in NODE_COMPILE_CACHE');

    const off = mkdtempSync(join(root, 'tmp-'));
    assert.equal(musterPlugins({ TMPDIR: off, NODE_DISABLE_COMPILE_CACHE: '1' }).status, 0);
    assert.deepEqual(filesIn(off), []);
  });

  it('works the same when the cache folder cannot be made', () => {
    // A regular file where the temp folder should be: no one (root included) can make a folder in it.
    const notAFolder = join(root, 'not-a-folder');
    writeFileSync(notAFolder, '');
    const run = musterPlugins({ TMPDIR: notAFolder });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /http-health/);
    assert.equal(run.stderr, '');
  });
});
