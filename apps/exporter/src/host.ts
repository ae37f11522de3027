import 'reflect-metadata';
import { createCoreContainer, createRedactor, type Plan, PluginLoader, Runtime, readPlan } from '@muster/core';
import type { DependencyContainer } from 'tsyringe';
import { BUILTIN_PLUGINS } from './builtins.js';
import { asSdkLogger, createLogger, type RedactingLogger } from './logger.js';
import { VERSION } from './version.js';

/** Everything a command needs: the container, its logger, and how to read the config. */
export interface Host {
  readonly container: DependencyContainer;
  readonly log: RedactingLogger;
  readonly loader: PluginLoader;
  /** Reads and validates the config (all of it), then redacts its secrets from logs; runs nothing. */
  readPlan(file: string | undefined): Promise<Plan>;
  /** The runtime, loaded with `plan` the first time (later plans go through `Runtime.reload`). */
  runtime(plan: Plan): Runtime;
}

/** Options shared by the commands. */
export interface HostOptions {
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

/** Builds the exporter's container: core services, the pino logger, the built-in plugins. */
export function createHost(options: HostOptions = {}): Host {
  const log = createLogger(options.logLevel ?? 'info');
  const container = createCoreContainer({
    logger: asSdkLogger(log.logger),
    build: { version: VERSION },
    plugins: { builtins: BUILTIN_PLUGINS, hostUrls: [import.meta.url] },
  });
  const loader = container.resolve(PluginLoader);
  return {
    container,
    log,
    loader,
    async readPlan(file) {
      const plan = await readPlan(loader, { ...(file === undefined ? {} : { file }) });
      log.setRedactor(createRedactor(plan.secrets));
      return plan;
    },
    runtime(plan) {
      const runtime = container.resolve(Runtime);
      if (runtime.plan === undefined) runtime.load(plan);
      log.setRedactor((text) => runtime.redact(text));
      return runtime;
    },
  };
}
