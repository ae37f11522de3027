import { createHash } from 'node:crypto';
import type { Plan } from './plan.js';

/**
 * Sharding: N replicas of muster share one config, and each runs only its part of the
 * instances. No coordination is needed: every replica computes the same assignment from the
 * instance names alone.
 *
 * The assignment is rendezvous hashing (highest random weight): instance `name` goes to the
 * shard `i` in `[0, count)` with the highest weight `w(name, i)`, the first 64 bits of
 * SHA-256(`i` + NUL + `name`) read as an unsigned big-endian integer (ties, which need a 64-bit
 * collision, go to the lower index). Properties:
 *
 * - stable: the same name and count give the same shard on every replica, platform and release;
 * - even: each shard gets about 1/count of the names;
 * - minimal movement: going from N to N+1 shards moves only the names whose weight for the new
 *   shard beats their old winner, about 1/(N+1) of them, and all of them to the new shard;
 *   going from N+1 back to N moves only the new shard's names. Nothing else changes hands.
 *
 * The whole config is still validated (every instance) before a shard is taken: a replica never
 * starts on a config that another replica would reject.
 */

/** One replica's place among `count`. */
export interface ShardSpec {
  /** 0-based: 0 ≤ index < count. */
  readonly index: number;
  readonly count: number;
}

/** The weight of `name` on shard `index`: 64 bits of SHA-256 over the index and the name. */
export function shardWeight(name: string, index: number): bigint {
  return createHash('sha256').update(`${index}\u0000${name}`).digest().readBigUInt64BE(0);
}

/** The shard (0 ≤ result < count) that runs the instance called `name`. */
export function shardOf(name: string, count: number): number {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`shard count must be a positive integer, found ${count}`);
  let best = 0;
  let bestWeight = -1n;
  for (let i = 0; i < count; i++) {
    const w = shardWeight(name, i);
    if (w > bestWeight) {
      best = i;
      bestWeight = w;
    }
  }
  return best;
}

/**
 * The plan restricted to the instances of `shard`. Server settings and the secrets to redact are
 * kept whole (a secret of another shard's instance is still a secret).
 */
export function selectShard(plan: Plan, shard: ShardSpec): Plan {
  if (shard.count === 1) return plan;
  return { ...plan, instances: plan.instances.filter((i) => shardOf(i.name, shard.count) === shard.index) };
}

/** Where the shard options came from, before they are checked. */
export interface ShardInput {
  /** `--shard-index` (or `MUSTER_SHARD_INDEX`), as typed. */
  readonly index?: string | undefined;
  /** `--shard-count` (or `MUSTER_SHARD_COUNT`), as typed. */
  readonly count?: string | undefined;
  /** The host name (`HOSTNAME`): a StatefulSet pod `muster-2` is shard 2 when no index is given. */
  readonly hostname?: string | undefined;
}

/** The outcome of {@link resolveShard}: no sharding, a shard, or a message saying what is wrong. */
export type ShardResolution =
  | { readonly shard: undefined }
  | { readonly shard: ShardSpec; readonly indexFrom: 'option' | 'hostname' }
  | { readonly error: string };

/** The largest shard count accepted: far above any sensible replica count. */
export const MAX_SHARD_COUNT = 1024;

const INTEGER = /^\s*\d+\s*$/;

/**
 * Checks the shard options. Without a count there is no sharding (an index alone is an error).
 * With a count and no index, the index is the trailing ordinal of the host name, as a
 * StatefulSet names its pods (`muster-0`, `muster-1`…).
 */
export function resolveShard(input: ShardInput): ShardResolution {
  const given = (v: string | undefined) => v !== undefined && v.trim() !== '';
  if (!given(input.count)) {
    if (given(input.index)) return { error: `--shard-index needs --shard-count (found index "${input.index}" and no count)` };
    return { shard: undefined };
  }
  const countText = input.count as string;
  if (!INTEGER.test(countText) || Number(countText) < 1 || Number(countText) > MAX_SHARD_COUNT) {
    return { error: `--shard-count: expected an integer from 1 to ${MAX_SHARD_COUNT}, found "${countText}"` };
  }
  const count = Number(countText);
  let index: number;
  let indexFrom: 'option' | 'hostname';
  if (given(input.index)) {
    const indexText = input.index as string;
    if (!INTEGER.test(indexText)) return { error: `--shard-index: expected an integer from 0 to ${count - 1}, found "${indexText}"` };
    index = Number(indexText);
    indexFrom = 'option';
  } else {
    const ordinal = /-(\d+)$/.exec(input.hostname?.trim() ?? '');
    if (ordinal === null) {
      return {
        error: `--shard-count ${count} without --shard-index: expected a host name ending in "-<ordinal>" (a StatefulSet pod such as "muster-2") to take the index from, found "${input.hostname ?? ''}"`,
      };
    }
    index = Number(ordinal[1]);
    indexFrom = 'hostname';
  }
  if (index >= count) {
    const from = indexFrom === 'hostname' ? ` (from host name "${input.hostname}")` : '';
    return { error: `--shard-index: expected an integer from 0 to ${count - 1} (below --shard-count ${count}), found ${index}${from}` };
  }
  return { shard: { index, count }, indexFrom };
}
