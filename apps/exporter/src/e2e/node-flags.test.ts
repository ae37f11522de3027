import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { eventually, freePort } from '@muster/testing';
import { MEMORY_FLAGS } from '../node-flags.js';
import { writeConfig } from './testing/config-file.js';

const BIN = fileURLToPath(new URL('../../bin/muster.js', import.meta.url));

describe('the muster command', () => {
  it("restarts itself in place (same PID) with muster's V8 memory flags", async (t) => {
    if (!existsSync('/proc/self/cmdline') || typeof (process as { execve?: unknown }).execve !== 'function') return t.skip('SKIPPED: needs /proc and process.execve');
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, 'start', '--config', writeConfig('plugins: []\n'), '--port', String(port), '--host', '127.0.0.1'], { stdio: 'ignore' });
    try {
      assert.ok(await eventually(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok === true, 60_000), 'serving');
      const argv = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
      for (const flag of MEMORY_FLAGS) assert.ok(argv.includes(flag), argv.join(' '));
      assert.equal(argv.filter((a) => a === BIN).length, 1, 'the script once');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
