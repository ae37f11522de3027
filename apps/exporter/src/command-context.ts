import { createCoreContainer, type Plan, PluginLoader, Runtime, readPlan } from '@muster/core';
import type { DependencyContainer } from 'tsyringe';
import { BUILTIN_PLUGINS } from './builtins.js';
import { asSdkLogger, createLogger, type RedactingLogger } from './logger.js';
import { VERSION } from './version.js';

/** Everything a command needs: the container, its logger, and how to read the config. */
export interface CommandContext {
  readonly container: DependencyContainer;
  readonly log: RedactingLogger;
  readonly loader: PluginLoader;
  /** Reads and validates the config (all of it); runs nothing. Its errors carry no secret. */
  readPlan(file: string | undefined): Promise<Plan>;
  /** The runtime, loaded with `plan` the first time (later plans go through `Runtime.reload`). */
  runtime(plan: Plan): Runtime;
}

/** Options shared by the commands. */
export interface CommandContextOptions {
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

/** Builds the exporter's container: core services, the pino logger, the built-in plugins. */
export function createCommandContext(options: CommandContextOptions = {}): CommandContext {
  const log = createLogger(options.logLevel ?? 'info');
  const container = createCoreContainer({
    logger: asSdkLogger(log.logger),
    build: { version: VERSION },
    plugins: { builtins: BUILTIN_PLUGINS, hostUrls: [import.meta.url] },
  });
  const loader = container.resolve(PluginLoader);
  // Log lines pass through the runtime's redactor, which follows the plan in force (load, reload).
  const runtime = container.resolve(Runtime);
  log.setRedactor((text) => runtime.redact(text));
  return {
    container,
    log,
    loader,
    readPlan: (file) => readPlan(loader, { ...(file === undefined ? {} : { file }) }),
    runtime(plan) {
      const runtime = container.resolve(Runtime);
      if (runtime.plan === undefined) runtime.load(plan);
      return runtime;
    },
  };
}
