import { hostname } from 'node:os';
import { resolveShard, type ShardResolution } from '@muster/core';

/**
 * The shard this process runs, from `--shard-index`/`--shard-count` (or their environment
 * variables, or a StatefulSet host name). Prints what is wrong and returns undefined when the
 * options are bad.
 */
export function shardFromOptions(options: { shardIndex?: string; shardCount?: string }): Exclude<ShardResolution, { error: string }> | undefined {
  const sharding = resolveShard({ index: options.shardIndex, count: options.shardCount, hostname: process.env.HOSTNAME ?? hostname() });
  if ('error' in sharding) {
    process.stderr.write(`muster: ${sharding.error}\n`);
    return undefined;
  }
  return sharding;
}
