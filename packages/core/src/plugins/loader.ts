import 'reflect-metadata';
import { API_VERSION, type Plugin } from '@muster/sdk';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve as resolveModule } from 'import-meta-resolve';
import { inject, injectable } from 'tsyringe';
import { createError, describeError } from '../errors.js';
import { TOKENS } from '../tokens.js';
import { runInScope } from '../runtime/scope.js';
import { type PluginResolveOptions, resolvePlugin } from './resolve.js';

const PLUGIN_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Checks that a module's default export is a usable plugin; returns what is wrong, or nothing. */
export function checkPluginShape(candidate: unknown): string | undefined {
  if (candidate === null || typeof candidate !== 'object') {
    return `expected a default export made with definePlugin(), found ${candidate === null ? 'null' : typeof candidate}`;
  }
  const p = candidate as Record<string | symbol, unknown>;
  if (typeof p.name !== 'string' || !PLUGIN_NAME.test(p.name)) {
    return `expected "name" to be a kebab-case string, found ${JSON.stringify(p.name)}`;
  }
  if (typeof p.apiVersion !== 'number') return `expected "apiVersion" to be a number, found ${typeof p.apiVersion}`;
  const schema = p.configSchema as { safeParse?: unknown } | undefined;
  if (schema === undefined || typeof schema.safeParse !== 'function') {
    return 'expected "configSchema" to be a schema made with z from @muster/sdk';
  }
  if (typeof p.create !== 'function') return `expected "create" to be a function, found ${typeof p.create}`;
  return undefined;
}

/** A loaded plugin and where it came from. */
export interface LoadedPlugin {
  readonly plugin: Plugin;
  readonly url: string;
}

/** Loads plugins by reference, once each, and checks them before anyone uses them. */
@injectable()
export class PluginLoader {
  readonly #cache = new Map<string, Promise<LoadedPlugin>>();

  constructor(@inject(TOKENS.PluginResolveOptions) readonly options: PluginResolveOptions) {}

  /** Resolves, imports and checks `use` (relative to `configDir`). Throws a coded MusterError. */
  load(use: string, configDir: string): Promise<LoadedPlugin> {
    let url: string;
    try {
      url = resolvePlugin(use, configDir, this.options).url;
    } catch (err) {
      return Promise.reject(createError('MUSTER_ERR_PLUGIN_NOT_FOUND', [use, describeError(err)]));
    }
    let pending = this.#cache.get(url);
    if (pending === undefined) {
      pending = this.#import(use, url);
      this.#cache.set(url, pending);
    }
    return pending;
  }

  async #import(use: string, url: string): Promise<LoadedPlugin> {
    // Checked before importing: a second SDK copy usually fails to import in confusing ways.
    const copy = sdkCopyProblem(url);
    if (copy !== undefined) throw createError('MUSTER_ERR_PLUGIN_SDK_COPY', [use, copy]);
    let mod: Record<string, unknown>;
    try {
      // In the module's own scope: a timer its top-level code starts is its, not muster's.
      mod = (await runInScope({ name: use }, () => import(url))) as Record<string, unknown>;
    } catch (err) {
      throw createError('MUSTER_ERR_PLUGIN_LOAD', [use, describeError(err)], err);
    }
    const candidate = mod.default ?? mod.plugin;
    const problem = checkPluginShape(candidate);
    if (problem !== undefined) throw createError('MUSTER_ERR_PLUGIN_INVALID', [use, problem]);
    const plugin = candidate as Plugin;
    if (plugin.apiVersion !== API_VERSION) {
      throw createError('MUSTER_ERR_PLUGIN_API_VERSION', [use, plugin.apiVersion, API_VERSION]);
    }
    return { plugin, url };
  }
}

/** Where a module URL resolves `@muster/sdk` to, as a real path; undefined when it cannot. */
function sdkLocation(fromUrl: string): string | undefined {
  try {
    return realpathSync(fileURLToPath(resolveModule('@muster/sdk', fromUrl)));
  } catch {
    return undefined;
  }
}

const HOST_SDK = sdkLocation(import.meta.url);

/**
 * A plugin must use muster's own copy of `@muster/sdk` (a peer dependency): a second copy would
 * bring its own zod and types. Returns what is wrong, or nothing (also when the plugin does not
 * resolve the SDK at all, as a plain-JavaScript plugin may not).
 */
export function sdkCopyProblem(pluginUrl: string): string | undefined {
  if (!pluginUrl.startsWith('file:')) return undefined;
  const theirs = sdkLocation(pluginUrl);
  if (theirs === undefined || HOST_SDK === undefined || theirs === HOST_SDK) return undefined;
  return `it resolves @muster/sdk to ${theirs}, but muster uses ${HOST_SDK}; declare @muster/sdk as a peerDependency (not a dependency) so that one copy exists`;
}
