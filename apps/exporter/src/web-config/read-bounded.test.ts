import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { toolSkip } from '@muster/testing';
import { readBoundedFile } from './read-bounded.js';

describe('readBoundedFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-bounded-'));
  const code = (path: string, max = 100): string | undefined => {
    try {
      readBoundedFile(path, max);
    } catch (err) {
      return (err as NodeJS.ErrnoException).code;
    }
    return undefined;
  };

  it('reads a regular file within the bound, through a symlink too', () => {
    writeFileSync(join(dir, 'ok.pem'), 'hello');
    symlinkSync(join(dir, 'ok.pem'), join(dir, 'link.pem'));
    assert.equal(readBoundedFile(join(dir, 'ok.pem'), 5).toString(), 'hello');
    assert.equal(readBoundedFile(join(dir, 'link.pem'), 5).toString(), 'hello');
  });

  it('refuses a file past the bound without reading it whole', () => {
    writeFileSync(join(dir, 'big.pem'), 'x'.repeat(101));
    assert.equal(code(join(dir, 'big.pem')), 'EFBIG');
  });

  it('refuses a symlink to an endless device instead of reading until memory runs out', () => {
    symlinkSync('/dev/zero', join(dir, 'zero.pem'));
    assert.equal(code(join(dir, 'zero.pem'), 1024 * 1024), 'ENOTREG');
  });

  it('refuses a folder and a missing file with their codes', () => {
    assert.equal(code(dir), 'EISDIR');
    assert.equal(code(join(dir, 'missing.pem')), 'ENOENT');
  });

  it('refuses a FIFO without waiting for a writer', { skip: toolSkip('mkfifo', 'coreutils') }, () => {
    execFileSync('mkfifo', [join(dir, 'fifo.pem')]);
    assert.equal(code(join(dir, 'fifo.pem')), 'ENOTREG');
  });
});
