import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import { crc32Combine, crc32Of } from './crc32.js';

describe('crc32Combine', () => {
  it('gives the CRC of the joined bytes for every split of random data', () => {
    for (let round = 0; round < 200; round++) {
      const data = randomBytes(1 + Math.floor(Math.random() * 5000));
      const cut = Math.floor(Math.random() * (data.length + 1));
      const a = data.subarray(0, cut);
      const b = data.subarray(cut);
      assert.equal(crc32Combine(crc32Of(a), crc32Of(b), b.length), crc32(data) >>> 0, `length ${data.length}, cut ${cut}`);
    }
  });

  it('folds many pieces in order', () => {
    const pieces = Array.from({ length: 50 }, (_, i) => randomBytes(i * 37));
    let crc = 0;
    for (const piece of pieces) crc = crc32Combine(crc, crc32Of(piece), piece.length);
    assert.equal(crc, crc32(Buffer.concat(pieces)) >>> 0);
  });

  it('handles a second piece longer than 2^32 bytes (a zero run, checked against the doubling law)', () => {
    // CRC of zeros of length 2n, built two ways: combine(n, n) and a direct combine with 2n.
    const zeros = Buffer.alloc(1 << 20);
    const c1 = crc32Of(zeros);
    let crc = c1;
    let length = zeros.length;
    while (length < 2 ** 33) {
      crc = crc32Combine(crc, crc, length);
      length *= 2;
    }
    // Same length, reached by adding 1 MiB pieces in a different grouping: 2^13 + ... is too slow,
    // so compare against combining (2^33 - 2^20) zeros onto the first MiB.
    let rest = 0;
    let restLength = 0;
    let unit = c1;
    let unitLength = zeros.length;
    let remaining = length / zeros.length - 1;
    while (remaining > 0) {
      if (remaining % 2 === 1) {
        rest = crc32Combine(rest, unit, unitLength);
        restLength += unitLength;
      }
      unit = crc32Combine(unit, unit, unitLength);
      unitLength *= 2;
      remaining = Math.floor(remaining / 2);
    }
    assert.equal(crc32Combine(c1, rest, restLength), crc);
  });
});
