import { selectShard } from '@muster/core';
import { createCommandContext } from '../command-context.js';
import { reportError } from './report.js';
import { shardFromOptions } from './shard-option.js';

/**
 * `muster once`: runs every instance once and prints the exposition (self metrics included)
 * to stdout, whatever happened; exits 1 when any instance's cycle failed.
 */
export async function onceCommand(options: { config?: string; format?: string; shardIndex?: string; shardCount?: string }): Promise<number> {
  const context = createCommandContext({ logLevel: 'warn' });
  const sharding = shardFromOptions(options);
  if (sharding === undefined) return 1;
  let plan: Awaited<ReturnType<typeof context.readPlan>>;
  try {
    plan = await context.readPlan(options.config);
  } catch (err) {
    return reportError(err);
  }
  // The whole config was validated above; with --shard-count only this shard's instances run.
  if (sharding.shard !== undefined) plan = selectShard(plan, sharding.shard);
  const runtime = context.runtime(plan);
  const uncontain = runtime.containErrors(() => {
    process.exitCode = 70;
    setImmediate(() => process.exit(70));
  });
  try {
    await runtime.runOnce();
    const format = options.format === 'openmetrics' ? 'openmetrics' : 'text';
    const { body } = await runtime.exposition(format);
    await new Promise<void>((resolve) => process.stdout.write(body, () => resolve()));
    const failed = runtime.instances.filter((i) => !i.health.up);
    for (const i of failed) {
      process.stderr.write(`muster: instance "${i.name}" failed: ${i.health.reason ?? 'error'}: ${i.health.lastError ?? ''}\n`);
    }
    return failed.length === 0 ? 0 : 1;
  } finally {
    await runtime.stop();
    uncontain();
  }
}
