import { createCommandContext } from '../command-context.js';
import { reportError } from './report.js';
import { shardFromOptions } from './shard-option.js';

/**
 * `muster once`: runs every instance once and prints the exposition (self metrics included)
 * to stdout, whatever happened; exits 1 when any instance's cycle failed.
 */
export async function onceCommand(options: { config?: string; format?: string; shardIndex?: string; shardCount?: string }): Promise<number> {
  const sharding = shardFromOptions(options);
  if (sharding === undefined) return 1;
  const shard = sharding.shard;
  // The whole config is validated; with --shard-count only this shard's instances run.
  const { host } = createCommandContext({
    logLevel: 'warn',
    ...(options.config === undefined ? {} : { config: options.config }),
    ...(shard === undefined ? {} : { shard }),
  });
  try {
    host.load(await host.readPlan());
  } catch (err) {
    return reportError(err);
  }
  const runtime = host.runtime;
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
