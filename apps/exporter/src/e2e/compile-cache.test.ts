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

describe("Node's compile cache is the operator's choice", () => {
  const root = mkdtempSync(join(tmpdir(), 'muster-compile-cache-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('is not kept by default (it costs about 3 MiB resident), and is kept in NODE_COMPILE_CACHE when set', () => {
    const temp = mkdtempSync(join(root, 'tmp-'));
    const run = musterPlugins({ TMPDIR: temp });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /http-health/);
    assert.deepEqual(filesIn(temp), [], 'nothing written to the temp folder');

    const chosen = join(root, 'chosen');
    const cached = musterPlugins({ TMPDIR: mkdtempSync(join(root, 'tmp-')), NODE_COMPILE_CACHE: chosen });
    assert.equal(cached.status, 0, cached.stderr);
    // The modules the command loaded, compiled once and kept for the next start.
    assert.ok(filesIn(chosen).length > 50, 'cache in NODE_COMPILE_CACHE');
    const again = musterPlugins({ NODE_COMPILE_CACHE: chosen });
    assert.equal(again.status, 0, again.stderr);
    assert.equal(again.stdout, cached.stdout, 'the same answer from the cached code');
  });

  it('works the same when the NODE_COMPILE_CACHE folder cannot be made', () => {
    // A regular file where the folder should be: no one (root included) can make a folder in it.
    const notAFolder = join(root, 'not-a-folder');
    writeFileSync(notAFolder, '');
    const run = musterPlugins({ NODE_COMPILE_CACHE: join(notAFolder, 'cache') });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /http-health/);
  });
});
