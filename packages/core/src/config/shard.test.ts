import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONFIG_FILE, newLoader } from '../testing/build-plan.js';
import type { Plan } from './plan.js';
import { resolveShard, selectShard, shardOf, shardWeight } from './shard.js';
import { buildPlan } from './validate.js';

const names = (n: number, prefix = 'instance') => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

describe('shardOf (rendezvous hashing over SHA-256)', () => {
  it('is stable: fixed names land on fixed shards (a change here reshuffles every deployment)', () => {
    // Golden values: computed once, never expected to change between releases.
    assert.equal(shardWeight('ci', 0), 0xd57af745d44ac821n);
    const placed = Object.fromEntries(['ci', 'orders-db', 'shop-frontend', 'host', 'self'].map((n) => [n, shardOf(n, 3)]));
    assert.deepEqual(placed, { ci: 0, 'orders-db': 0, 'shop-frontend': 0, host: 1, self: 1 });
    for (const n of names(50)) assert.equal(shardOf(n, 5), shardOf(n, 5));
  });

  it('puts everything on shard 0 when there is one shard, and rejects a bad count', () => {
    for (const n of names(20)) assert.equal(shardOf(n, 1), 0);
    assert.throws(() => shardOf('a', 0), RangeError);
    assert.throws(() => shardOf('a', 1.5), RangeError);
  });

  it('spreads names evenly', () => {
    const all = names(3000);
    for (const count of [2, 3, 4, 7]) {
      const per = new Array<number>(count).fill(0);
      for (const n of all) per[shardOf(n, count)]!++;
      const expected = all.length / count;
      for (const [i, got] of per.entries()) {
        assert.ok(Math.abs(got - expected) < expected * 0.12, `shard ${i} of ${count}: ${got} names, expected about ${expected}`);
      }
    }
  });

  it('moves only about 1/4 of the names from 3 to 4 shards, all of them to the new shard', () => {
    const all = names(3000, 'svc');
    const moved = all.filter((n) => shardOf(n, 3) !== shardOf(n, 4));
    for (const n of moved) assert.equal(shardOf(n, 4), 3, `${n} moved to the new shard`);
    const fraction = moved.length / all.length;
    assert.ok(fraction > 0.22 && fraction < 0.28, `moved ${(fraction * 100).toFixed(1)} % (ideal 25 %)`);
    // And back: 4 → 3 moves only the names of shard 3.
    for (const n of all) if (shardOf(n, 4) !== 3) assert.equal(shardOf(n, 3), shardOf(n, 4));
  });

  it('moves about 1/(N+1) for other steps too', () => {
    const all = names(2000, 'job');
    for (const n of [1, 2, 5, 9]) {
      const moved = all.filter((x) => shardOf(x, n) !== shardOf(x, n + 1)).length / all.length;
      const ideal = 1 / (n + 1);
      assert.ok(Math.abs(moved - ideal) < 0.035, `${n} → ${n + 1}: moved ${moved.toFixed(3)}, ideal ${ideal.toFixed(3)}`);
    }
  });
});

describe('selectShard', () => {
  // A real plan of one instance of the `bare` test plugin per name.
  const plan = (instanceNames: string[]): Promise<Plan> =>
    buildPlan({ plugins: instanceNames.map((name) => ({ name, use: 'bare' })) }, CONFIG_FILE, newLoader(), {});

  it('partitions the instances: every one in exactly one shard, config order kept', async () => {
    const full = await plan(names(40));
    const parts = [0, 1, 2].map((index) => selectShard(full, { index, count: 3 }));
    const union = parts.flatMap((p) => p.instances.map((i) => i.name));
    assert.equal(union.length, 40);
    assert.deepEqual(new Set(union), new Set(names(40)));
    for (const p of parts) {
      const order = p.instances.map((i) => full.instances.findIndex((f) => f.name === i.name));
      assert.deepEqual(order, [...order].sort((a, b) => a - b));
      assert.equal(p.server, full.server);
      assert.equal(p.secrets, full.secrets, 'every secret stays redacted');
    }
  });

  it('returns the plan itself for a single shard', async () => {
    const full = await plan(names(3));
    assert.equal(selectShard(full, { index: 0, count: 1 }), full);
  });
});

describe('resolveShard', () => {
  it('means no sharding without a count', () => {
    assert.deepEqual(resolveShard({}), { shard: undefined });
    assert.deepEqual(resolveShard({ count: '', hostname: 'muster-1' }), { shard: undefined });
  });

  it('takes index and count as given', () => {
    assert.deepEqual(resolveShard({ index: '2', count: '3', hostname: 'muster-0' }), { shard: { index: 2, count: 3 }, indexFrom: 'option' });
  });

  it('takes the index from a StatefulSet pod name when only the count is given', () => {
    assert.deepEqual(resolveShard({ count: '3', hostname: 'muster-2' }), { shard: { index: 2, count: 3 }, indexFrom: 'hostname' });
    assert.deepEqual(resolveShard({ count: '4', hostname: 'my-muster-shard-0' }), { shard: { index: 0, count: 4 }, indexFrom: 'hostname' });
  });

  it('says what is wrong', () => {
    const error = (input: Parameters<typeof resolveShard>[0]) => {
      const r = resolveShard(input);
      assert.ok('error' in r, JSON.stringify(r));
      return r.error;
    };
    assert.match(error({ index: '1' }), /--shard-index needs --shard-count/);
    assert.match(error({ index: '3', count: '3' }), /--shard-index: expected an integer from 0 to 2 .*found 3/);
    assert.match(error({ index: '-1', count: '3' }), /--shard-index: expected an integer from 0 to 2, found "-1"/);
    assert.match(error({ index: '1.5', count: '3' }), /--shard-index/);
    assert.match(error({ index: '0', count: '0' }), /--shard-count: expected an integer from 1 to 1024, found "0"/);
    assert.match(error({ index: '0', count: 'three' }), /--shard-count: .*found "three"/);
    assert.match(error({ count: '3', hostname: 'laptop' }), /without --shard-index: expected a host name ending in "-<ordinal>".*found "laptop"/);
    assert.match(error({ count: '3', hostname: 'muster-5' }), /found 5 \(from host name "muster-5"\)/);
  });
});
