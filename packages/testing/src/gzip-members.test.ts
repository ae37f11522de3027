import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readGzipMembers } from './gzip-members.js';

describe('readGzipMembers', () => {
  it('finds one member in what gzip writes, and two in two members back to back', () => {
    const a = gzipSync('first part\n');
    const b = gzipSync('second part\n');
    assert.deepEqual(
      readGzipMembers(a).map((m) => m.data.toString()),
      ['first part\n'],
    );
    assert.deepEqual(
      readGzipMembers(Buffer.concat([a, b])).map((m) => m.data.toString()),
      ['first part\n', 'second part\n'],
    );
  });

  it('refuses a wrong CRC, a cut stream and stray bytes', () => {
    const good = gzipSync('some text\n');
    const badCrc = Buffer.from(good);
    badCrc.writeUInt32LE((badCrc.readUInt32LE(badCrc.length - 8) ^ 1) >>> 0, badCrc.length - 8);
    assert.throws(() => readGzipMembers(badCrc), /CRC-32/);
    assert.throws(() => readGzipMembers(good.subarray(0, good.length - 3)));
    assert.throws(() => readGzipMembers(Buffer.concat([good, Buffer.from([1, 2, 3])])), /stray bytes/);
  });
});
