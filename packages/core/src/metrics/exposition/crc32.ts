import { crc32 } from 'node:zlib';

/**
 * CRC-32 (the gzip one) of pieces joined without joining them: each piece's CRC is computed
 * once and cached, and the CRC of a whole body is combined from its pieces' in O(log n) per
 * piece. The combination is zlib's `crc32_combine` (multiplication modulo the CRC polynomial).
 */

/** The reflected CRC-32 polynomial. */
const POLY = 0xedb88320;

/** a(x) * b(x) modulo p(x), reflected bit order. */
function multModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  let bb = b >>> 0;
  for (;;) {
    if ((a & m) !== 0) {
      p ^= bb;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    bb = bb & 1 ? (bb >>> 1) ^ POLY : bb >>> 1;
  }
  return p >>> 0;
}

/** x^(2^k) modulo p(x), for k = 0..31. */
const X2N = (() => {
  const table = new Uint32Array(32);
  let p = 0x40000000; // x^1
  table[0] = p;
  for (let k = 1; k < 32; k++) {
    p = multModP(p, p);
    table[k] = p;
  }
  return table;
})();

/** x^(n * 2^k) modulo p(x); n may exceed 2^32. */
function x2nModP(n: number, k: number): number {
  let p = 0x80000000; // x^0
  let rest = n;
  let bit = k;
  while (rest > 0) {
    if (rest % 2 === 1) p = multModP(X2N[bit & 31] as number, p);
    rest = Math.floor(rest / 2);
    bit++;
  }
  return p;
}

/** The CRC-32 of A followed by B, from A's CRC, B's CRC and B's length in bytes. */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  if (lengthB === 0) return crcA >>> 0;
  return (multModP(x2nModP(lengthB, 3), crcA >>> 0) ^ crcB) >>> 0;
}

/** The CRC-32 of `bytes`. */
export function crc32Of(bytes: Uint8Array): number {
  return crc32(bytes) >>> 0;
}
