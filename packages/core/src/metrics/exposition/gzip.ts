import { promisify } from 'node:util';
import { constants, deflateRaw } from 'node:zlib';
import { crc32Combine, crc32Of } from './crc32.js';

const deflateRawAsync = promisify(deflateRaw);

/**
 * One gzip member (RFC 1952) built from raw deflate runs compressed at different times: each run
 * ends with a sync flush (an empty stored block, byte-aligned), so runs can be joined in any
 * number; the member ends with one final empty block and a trailer holding the CRC-32 and
 * length of the whole uncompressed body. Every gzip reader (curl, browsers, Python, Go,
 * Prometheus) reads it whole; a stream of several members is read whole by some only.
 */

/** The raw deflate of some bytes, with their CRC-32 and length: a piece of a gzip member. */
export interface DeflatedRun {
  /** Raw deflate blocks, ending byte-aligned with a sync flush (never a final block). */
  readonly blocks: readonly Buffer[];
  /** CRC-32 of the uncompressed bytes. */
  readonly crc: number;
  /** Length of the uncompressed bytes. */
  readonly length: number;
}

/** A run of nothing. */
export const EMPTY_RUN: DeflatedRun = { blocks: [], crc: 0, length: 0 };

/** Compression level of every run (zlib's default: the level gzip on each request would use). */
const LEVEL = constants.Z_DEFAULT_COMPRESSION;

/** Compresses `bytes` into one run, on libuv's thread pool (the event loop keeps running). */
export async function deflateRun(bytes: Buffer): Promise<DeflatedRun> {
  if (bytes.length === 0) return EMPTY_RUN;
  const block = await deflateRawAsync(bytes, { level: LEVEL, finishFlush: constants.Z_SYNC_FLUSH });
  return { blocks: [block], crc: crc32Of(bytes), length: bytes.length };
}

/** Joins runs in order into one run (no compression: blocks are shared, CRCs combined). */
export function joinRuns(runs: readonly DeflatedRun[]): DeflatedRun {
  const blocks: Buffer[] = [];
  let crc = 0;
  let length = 0;
  for (const run of runs) {
    if (run.length === 0) continue;
    blocks.push(...run.blocks);
    crc = crc32Combine(crc, run.crc, run.length);
    length += run.length;
  }
  return { blocks, crc, length };
}

/** gzip header: magic, deflate, no flags, no mtime, no extra flags, OS unknown. */
const HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);
/** A final, empty deflate block with fixed Huffman codes: ends the deflate stream. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

/** The buffers of one gzip member holding `runs` in order. */
export function gzipMember(runs: readonly DeflatedRun[]): Buffer[] {
  const whole = joinRuns(runs);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(whole.crc, 0);
  trailer.writeUInt32LE(whole.length % 2 ** 32, 4);
  return [HEADER, ...whole.blocks, FINAL_BLOCK, trailer];
}

/**
 * Bytes of a committed body that keep their CRC-32 and raw deflate once computed, so a body
 * assembled again from the same pieces (another instance committed) compresses only what is new.
 */
export class Piece {
  #run: Promise<DeflatedRun> | undefined;

  constructor(readonly bytes: Buffer) {}

  get length(): number {
    return this.bytes.length;
  }

  /** The piece compressed (once; later calls share the result). */
  run(): Promise<DeflatedRun> {
    this.#run ??= deflateRun(this.bytes);
    return this.#run;
  }
}

/** Pieces at least this long are compressed on their own and kept; shorter ones are grouped. */
export const OWN_RUN_BYTES = 16 * 1024;

/**
 * The runs of a body made of `parts` in order: pieces of {@link OWN_RUN_BYTES} or more bring
 * their own (kept) run; everything between them (headers, small families) is grouped and
 * compressed as one run.
 */
export async function bodyRun(parts: readonly (Piece | Buffer)[]): Promise<DeflatedRun> {
  const runs: Promise<DeflatedRun>[] = [];
  let small: Buffer[] = [];
  let smallBytes = 0;
  const flush = () => {
    if (small.length === 0) return;
    runs.push(deflateRun(small.length === 1 ? (small[0] as Buffer) : Buffer.concat(small)));
    small = [];
    smallBytes = 0;
  };
  for (const part of parts) {
    if (part instanceof Piece && part.length >= OWN_RUN_BYTES) {
      flush();
      runs.push(part.run());
    } else {
      const bytes = part instanceof Piece ? part.bytes : part;
      small.push(bytes);
      smallBytes += bytes.length;
      // Groups stay small enough that their CRC-32 never holds the event loop for long.
      if (smallBytes >= 8 * OWN_RUN_BYTES) flush();
    }
  }
  flush();
  return joinRuns(await Promise.all(runs));
}
