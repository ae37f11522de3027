import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FILE_ROOTS_ENV, MAX_FILE_REF_BYTES, readFileRef } from './file-ref.js';

describe('readFileRef (${file:…})', () => {
  let dir: string;
  let outside: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'muster-file-ref-'));
    outside = mkdtempSync(join(tmpdir(), 'muster-file-ref-out-'));
    mkdirSync(join(dir, 'secrets'));
    writeFileSync(join(dir, 'secrets', 'token'), 'in-root-token\n');
    writeFileSync(join(outside, 'token'), 'outside-token\n');
    symlinkSync(join(outside, 'token'), join(dir, 'secrets', 'escape'));
    writeFileSync(join(dir, 'big'), Buffer.alloc(MAX_FILE_REF_BYTES + 1, 'x'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('reads any readable file when no roots are set, relative to the config folder or absolute', () => {
    assert.deepEqual(readFileRef('secrets/token', dir, {}), { ok: true, text: 'in-root-token' });
    assert.deepEqual(readFileRef(join(outside, 'token'), dir, {}), { ok: true, text: 'outside-token' });
  });

  it(`confines reads to the ${FILE_ROOTS_ENV} folders, symbolic links resolved`, () => {
    const env = { [FILE_ROOTS_ENV]: './secrets' };
    assert.deepEqual(readFileRef('secrets/token', dir, env), { ok: true, text: 'in-root-token' });
    const escaped = readFileRef('secrets/escape', dir, env);
    assert.equal(escaped.ok, false);
    assert.match((escaped as { reason: string }).reason, /outside the folders MUSTER_FILE_ROOTS allows/);
    assert.equal(readFileRef('/etc/hostname', dir, env).ok, false);
    assert.equal(readFileRef('../x', join(dir, 'secrets'), env).ok, false);
  });

  it('refuses what is not a regular file, or too large, without reading it', () => {
    assert.deepEqual(readFileRef('/dev/zero', dir, {}), { ok: false, reason: 'not a regular file' });
    assert.deepEqual(readFileRef('secrets', dir, {}), { ok: false, reason: 'EISDIR' });
    assert.deepEqual(readFileRef('big', dir, {}), { ok: false, reason: `larger than ${MAX_FILE_REF_BYTES} bytes` });
    assert.deepEqual(readFileRef('missing', dir, {}), { ok: false, reason: 'ENOENT' });
  });

  it('reads a file whose size reads 0 but holds text (a /proc file) whole, not cut to one byte', { skip: process.platform !== 'linux' }, () => {
    const read = readFileRef('/proc/self/status', dir, {});
    assert.equal(read.ok, true);
    assert.match(read.ok ? read.text : '', /^Name:.*\n[\s\S]*\nPid:\s+\d+/);
  });
});
