import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { gunzipSync, inflateRawSync } from 'node:zlib';
import { bodyRun, deflateRun, gzipMember, OWN_RUN_BYTES, Piece } from './gzip.js';

/** Text that compresses like an exposition, with some randomness. */
function lines(count: number, seed: string): Buffer {
  let out = '';
  for (let i = 0; i < count; i++) out += `x_value{collector="${seed}",id="${i}",r="${randomBytes(3).toString('hex')}"} ${i / 7}\n`;
  return Buffer.from(out);
}

/** Members of a gzip stream: header, raw deflate until its final block, trailer; repeated. */
function memberCount(stream: Buffer): number {
  let count = 0;
  let at = 0;
  while (at < stream.length) {
    assert.deepEqual([...stream.subarray(at, at + 3)], [0x1f, 0x8b, 8]);
    const inflated = inflateRawSync(stream.subarray(at + 10), { info: true }) as unknown as { engine: { bytesWritten: number } };
    at += 10 + inflated.engine.bytesWritten + 8;
    count++;
  }
  assert.equal(at, stream.length);
  return count;
}

describe('one gzip member from runs compressed apart', () => {
  it('joins large pieces, small pieces and per-scrape runs into one member that reads back whole', async () => {
    const parts = [Buffer.from('# HELP a A.\n# TYPE a gauge\n'), new Piece(lines(2000, 'a')), Buffer.from('# HELP b B.\n'), new Piece(lines(3, 'b')), new Piece(lines(1500, 'c'))];
    const whole = Buffer.concat(parts.map((p) => (p instanceof Piece ? p.bytes : p)));
    const head = Buffer.from('app_up 1\n');
    const tail = Buffer.from('muster_build_info{version="1"} 1\n# EOF\n');
    const member = Buffer.concat(gzipMember([await deflateRun(head), await bodyRun(parts), await deflateRun(tail)]));
    assert.equal(memberCount(member), 1);
    assert.deepEqual(gunzipSync(member), Buffer.concat([head, whole, tail]));
  });

  it('compresses a large piece once and reuses its run in later bodies', async () => {
    const big = new Piece(lines(2000, 'big'));
    assert.ok(big.length >= OWN_RUN_BYTES);
    assert.equal(big.run(), big.run(), 'the same run, not a second compression');
    const first = await bodyRun([Buffer.from('h1\n'), big]);
    const second = await bodyRun([Buffer.from('h2\n'), big, Buffer.from('more\n')]);
    const [bigRun] = (await big.run()).blocks;
    assert.ok(first.blocks.includes(bigRun as Buffer) && second.blocks.includes(bigRun as Buffer));
    assert.deepEqual(gunzipSync(Buffer.concat(gzipMember([second]))).toString(), `h2\n${big.bytes.toString()}more\n`);
  });

  it('gives an empty body a valid member', async () => {
    const member = Buffer.concat(gzipMember([await bodyRun([]), await deflateRun(Buffer.alloc(0))]));
    assert.equal(memberCount(member), 1);
    assert.equal(gunzipSync(member).length, 0);
  });
});
