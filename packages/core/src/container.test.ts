import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

/** Runs `code` as an ES module in a fresh Node.js process (no polyfill loaded beforehand) and returns its output. */
function fresh(code: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const quiet = '{ debug() {}, info() {}, warn() {}, error() {}, child() { return this; } }';

describe('the composition root', () => {
  it('builds a working container in a process that imported nothing but @muster/core', () => {
    const index = new URL('./index.js', import.meta.url).href;
    const run = fresh(`
      const core = await import(${JSON.stringify(index)});
      const c = core.createCoreContainer({ logger: ${quiet}, build: { version: '0.0.0' }, plugins: { builtins: {}, hostUrls: [] } });
      const runtime = c.resolve(core.Runtime);
      console.log(runtime === c.resolve(core.Runtime), c.resolve(core.PluginLoader) instanceof core.PluginLoader, typeof runtime.logger.warn);
    `);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), 'true true function');
  });

  it('loads a decorated module on its own, before anything else installs the polyfill', () => {
    for (const module of ['./runtime/runtime.js', './plugins/loader.js']) {
      const run = fresh(`await import(${JSON.stringify(new URL(module, import.meta.url).href)}); console.log('loaded');`);
      assert.equal(run.status, 0, `${module}: ${run.stderr}`);
      assert.equal(run.stdout.trim(), 'loaded');
    }
  });
});
