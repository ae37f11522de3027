import { dirname } from 'node:path';
import { loadConfigFile, type PluginLoader, STANDARD_PLUGINS } from '@muster/core';
import type { Plugin } from '@muster/sdk';

/** A plugin the schema, starter config and docs describe, with the `use:` values that name it. */
export interface CatalogEntry {
  /** What to write in `use:` (the built-in short name, or the reference as written in the config). */
  readonly use: string;
  /** Every `use:` value that loads this plugin (a built-in's package name too). */
  readonly uses: readonly string[];
  readonly plugin: Plugin;
  readonly builtin: boolean;
}

/** The built-in plugins, by short name. */
export async function builtinCatalog(loader: PluginLoader): Promise<CatalogEntry[]> {
  const names = Object.keys(STANDARD_PLUGINS).sort();
  const entries: CatalogEntry[] = [];
  for (const name of names) {
    const { plugin } = await loader.load(name, process.cwd());
    const pkg = STANDARD_PLUGINS[name] as string;
    entries.push({ use: name, uses: [name, pkg], plugin, builtin: true });
  }
  return entries;
}

/**
 * The plugins a config file names besides the built-ins (packages and paths, resolved from the
 * config file's folder). The file is only parsed, not validated: a half-written config still
 * gets a schema for the plugins it names.
 */
export async function configCatalog(loader: PluginLoader, file: string): Promise<CatalogEntry[]> {
  const { filepath, raw } = await loadConfigFile(file, process.cwd());
  const plugins = (raw as { plugins?: unknown } | null)?.plugins;
  const uses = new Set<string>();
  if (Array.isArray(plugins)) {
    for (const entry of plugins) {
      const use = (entry as { use?: unknown } | null)?.use;
      if (typeof use === 'string' && use !== '' && !Object.hasOwn(STANDARD_PLUGINS, use) && !Object.values(STANDARD_PLUGINS).includes(use)) {
        uses.add(use);
      }
    }
  }
  const entries: CatalogEntry[] = [];
  for (const use of uses) {
    const { plugin } = await loader.load(use, dirname(filepath));
    entries.push({ use, uses: [use], plugin, builtin: false });
  }
  return entries;
}

/** Built-ins plus a config's own plugins (when a config is given). */
export async function catalog(loader: PluginLoader, configFile?: string): Promise<CatalogEntry[]> {
  const builtins = await builtinCatalog(loader);
  return configFile === undefined ? builtins : [...builtins, ...(await configCatalog(loader, configFile))];
}
