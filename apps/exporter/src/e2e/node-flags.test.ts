import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { eventually, freePort } from '@muster/testing';
import { MEMORY_ENV, MEMORY_FLAGS } from '../node-flags.js';
import { writeConfig } from './testing/config-file.js';

const BIN = fileURLToPath(new URL('../../bin/muster.js', import.meta.url));

describe('the muster command', () => {
  it("restarts itself in place (same PID) with muster's V8 memory flags", async (t) => {
    if (!existsSync('/proc/self/cmdline') || typeof (process as { execve?: unknown }).execve !== 'function') return t.skip('SKIPPED: needs /proc and process.execve');
    const port = await freePort();
    const env = { ...process.env };
    for (const name of Object.keys(MEMORY_ENV)) delete env[name];
    const child = spawn(process.execPath, [BIN, 'start', '--config', writeConfig('plugins: []\n'), '--port', String(port), '--host', '127.0.0.1'], { stdio: 'ignore', env });
    try {
      assert.ok(await eventually(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok === true, 60_000), 'serving');
      const argv = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
      for (const flag of MEMORY_FLAGS) assert.ok(argv.includes(flag), argv.join(' '));
      assert.equal(argv.filter((a) => a === BIN).length, 1, 'the script once');
      const environ = readFileSync(`/proc/${child.pid}/environ`, 'utf8').split('\0');
      for (const [name, value] of Object.entries(MEMORY_ENV)) assert.ok(environ.includes(`${name}=${value}`), `${name}=${value} in the environment`);
    } finally {
      child.kill('SIGTERM');
    }
  });

  /** The command line (or with `read: 'environ'`, the environment) of `muster start` run with `args` before the script and `env`, once it serves. */
  async function startedArgv(t: { skip: (m: string) => void }, nodeArgs: string[], env: NodeJS.ProcessEnv = {}, read: 'cmdline' | 'environ' = 'cmdline'): Promise<string[] | undefined> {
    if (!existsSync('/proc/self/cmdline') || typeof (process as { execve?: unknown }).execve !== 'function') {
      t.skip('SKIPPED: needs /proc and process.execve');
      return undefined;
    }
    const port = await freePort();
    const child = spawn(process.execPath, [...nodeArgs, BIN, 'start', '--config', writeConfig('plugins: []\n'), '--port', String(port), '--host', '127.0.0.1'], {
      stdio: 'ignore',
      env: { ...process.env, NODE_OPTIONS: '', ...env },
    });
    try {
      assert.ok(await eventually(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok === true, 60_000), 'serving');
      return readFileSync(`/proc/${child.pid}/${read}`, 'utf8').split('\0');
    } finally {
      child.kill('SIGTERM');
    }
  }

  it('keeps a flag set in NODE_OPTIONS as given and still adds the other', async (t) => {
    const argv = await startedArgv(t, [], { NODE_OPTIONS: '--max-semi-space-size=8' });
    if (argv === undefined) return;
    assert.ok(argv.includes('--heap-growing-percent=20'), argv.join(' '));
    assert.ok(!argv.includes('--max-semi-space-size=2'), argv.join(' '));
  });

  it('does not restart when the command line sets both flags (its own spelling kept)', async (t) => {
    const argv = await startedArgv(t, ['--max_semi_space_size=4', '--heap-growing-percent=50']);
    if (argv === undefined) return;
    assert.deepEqual(argv.filter((a) => a.startsWith('--')).slice(0, 2), ['--max_semi_space_size=4', '--heap-growing-percent=50']);
    for (const flag of MEMORY_FLAGS) assert.ok(!argv.includes(flag), argv.join(' '));
  });

  it('keeps a malloc arena limit given in the environment', async (t) => {
    const environ = await startedArgv(t, [], { MALLOC_ARENA_MAX: '3' }, 'environ');
    if (environ === undefined) return;
    assert.ok(environ.includes('MALLOC_ARENA_MAX=3'), 'the given value');
    assert.ok(!environ.includes('MALLOC_ARENA_MAX=2'), 'not replaced');
  });
});
