import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { writeConfig } from './testing/config-file.js';
import { CLI, FIXTURES } from './testing/paths.js';

/**
 * Runs `muster ARGS` with its stdout piped into this process, which starts reading only after a
 * second: the pipe fills and muster still holds queued output when its command is done. Exiting
 * without flushing that (as `process.exit` does) cut `validate`'s 10,001 lines to a few hundred.
 */
function piped(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    // Paused explicitly, so the listener does not start the flow: reading starts after a second.
    child.stdout.setEncoding('utf8').pause();
    child.stdout.on('data', (d: string) => {
      out += d;
    });
    setTimeout(() => child.stdout.resume(), 1_000);
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
    });
    child.on('error', reject);
    // Done when the process has exited and every byte of its output has been read.
    const ended = new Promise<void>((done) => child.stdout.on('end', done));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    Promise.all([exited, ended]).then(([code]) => resolve({ code, out, err }), reject);
  });
}

describe('command output through a pipe', () => {
  it('validate: all 10,001 lines reach the next program', async () => {
    const entries = Array.from({ length: 10_000 }, (_, i) => `  - { name: host-${i}, use: system }`).join('\n');
    const file = writeConfig(`plugins:\n${entries}\n`);
    const { code, out, err } = await piped(['validate', '--config', file]);
    assert.equal(code, 0, err);
    assert.equal(out.split('\n').length - 1, 10_001);
    assert.match(out, /host-9999: system/);
  });

  it('once: every one of 20,000 series reaches the next program', async () => {
    const file = writeConfig(`plugins:\n  - { name: many, use: ${join(FIXTURES, 'many.mjs')}, maxSeries: 20000, config: { series: 20000 } }\n`);
    const { code, out, err } = await piped(['once', '--config', file]);
    assert.equal(code, 0, err);
    assert.equal(out.split('\n').filter((l) => l.startsWith('fixture_many_value{')).length, 20_000);
    assert.match(out, /muster_build_info/);
  });

  it('schema: the whole JSON Schema, parseable to its end', async () => {
    const { code, out, err } = await piped(['schema']);
    assert.equal(code, 0, err);
    assert.ok(out.length > 10_000, `${out.length} characters`);
    assert.equal(typeof JSON.parse(out), 'object');
  });
});
