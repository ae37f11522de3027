import { Host, STANDARD_PLUGINS, type ShardSpec, selectShard } from '@muster/core';
import type { pino } from 'pino';
import { asSdkLogger, createLogger } from './logger.js';
import { VERSION } from './version.js';

/** What a command runs on: core's host, and the process logger. */
export interface CommandContext {
  /** Core composed once: the plugin loader, the config, the runtime, reload and the scrape. */
  readonly host: Host;
  /** The process logger (fastify's too); every line passes through the redactor of the plan in force. */
  readonly logger: pino.Logger;
}

/** Options shared by the commands. */
export interface CommandContextOptions {
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** `--config FILE`; when absent the config is searched for in the current folder. */
  readonly config?: string;
  /** Runs only this shard's instances (`--shard-count`), at start and at each reload; the whole config is still validated. */
  readonly shard?: ShardSpec;
}

/** Builds the exporter on core's {@link Host}: the pino logger, muster's plugins as built-ins. */
export function createCommandContext(options: CommandContextOptions = {}): CommandContext {
  const log = createLogger(options.logLevel ?? 'info');
  const shard = options.shard;
  const host = new Host({
    logger: asSdkLogger(log.logger),
    // fastify writes to the pino logger too: its stream redacts whole lines, for everyone.
    loggerRedactsLines: true,
    version: VERSION,
    builtins: STANDARD_PLUGINS,
    // The built-in plugins are this package's dependencies: they resolve from here.
    resolveFrom: [import.meta.url],
    config: options.config === undefined ? {} : { file: options.config },
    ...(shard === undefined ? {} : { select: (whole) => selectShard(whole, shard) }),
  });
  log.setRedactor((text) => host.redact(text));
  return { host, logger: log.logger };
}
