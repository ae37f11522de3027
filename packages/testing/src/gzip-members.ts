import { crc32, inflateRawSync } from 'node:zlib';

/** One gzip member found by {@link readGzipMembers}. */
export interface GzipMember {
  /** The member's uncompressed bytes. */
  readonly data: Buffer;
  /** Offset of the member in the stream. */
  readonly offset: number;
  /** Bytes the member takes in the stream (header, deflate data and trailer). */
  readonly size: number;
}

const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;

/**
 * Splits a gzip stream into its members (RFC 1952) and checks each trailer (CRC-32 and length).
 * A client that stops after the first member (curl, browsers) reads the whole body only when
 * there is exactly one. Throws on anything that is not a well-formed gzip stream.
 */
export function readGzipMembers(stream: Buffer): GzipMember[] {
  const members: GzipMember[] = [];
  let at = 0;
  while (at < stream.length) {
    const start = at;
    if (stream.length - at < 18) throw new Error(`gzip: ${stream.length - at} stray bytes at offset ${at}`);
    if (stream[at] !== 0x1f || stream[at + 1] !== 0x8b) throw new Error(`gzip: no magic number at offset ${at}`);
    if (stream[at + 2] !== 8) throw new Error(`gzip: compression method ${stream[at + 2]} at offset ${at}, not deflate`);
    const flags = stream[at + 3] as number;
    at += 10;
    if (flags & FEXTRA) at += 2 + stream.readUInt16LE(at);
    if (flags & FNAME) at = stream.indexOf(0, at) + 1;
    if (flags & FCOMMENT) at = stream.indexOf(0, at) + 1;
    if (flags & FHCRC) at += 2;
    const inflated = inflateRawSync(stream.subarray(at), { info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    at += inflated.engine.bytesWritten;
    if (stream.length - at < 8) throw new Error(`gzip: member at offset ${start} has no trailer`);
    const crc = stream.readUInt32LE(at);
    const size = stream.readUInt32LE(at + 4);
    at += 8;
    const data = inflated.buffer;
    if (crc !== crc32(data) >>> 0) throw new Error(`gzip: CRC-32 of the member at offset ${start} does not match its data`);
    if (size !== data.length % 2 ** 32) throw new Error(`gzip: length of the member at offset ${start} is ${data.length}, its trailer says ${size}`);
    members.push({ data, offset: start, size: at - start });
  }
  return members;
}
