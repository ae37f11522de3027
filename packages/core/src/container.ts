import 'reflect-metadata';
import type { Logger } from '@muster/sdk';
import { Lifecycle, container as root, type DependencyContainer } from 'tsyringe';
import { PluginLoader } from './plugins/loader.js';
import type { PluginResolveOptions } from './plugins/resolve.js';
import { Runtime } from './runtime/runtime.js';
import type { BuildInfo } from './runtime/self-metrics.js';
import { TOKENS } from './tokens.js';

/** What a host provides to build core's container. */
export interface CoreOptions {
  readonly logger: Logger;
  readonly build: BuildInfo;
  readonly plugins: PluginResolveOptions;
}

/**
 * A fresh child container holding core's services for one exporter. Two exporters in one
 * process get two containers and share nothing.
 */
export function createCoreContainer(options: CoreOptions): DependencyContainer {
  const c = root.createChildContainer();
  c.register(TOKENS.Logger, { useValue: options.logger });
  c.register(TOKENS.BuildInfo, { useValue: options.build });
  c.register(TOKENS.PluginResolveOptions, { useValue: options.plugins });
  c.register(PluginLoader, { useClass: PluginLoader }, { lifecycle: Lifecycle.ContainerScoped });
  c.register(Runtime, { useClass: Runtime }, { lifecycle: Lifecycle.ContainerScoped });
  return c;
}
