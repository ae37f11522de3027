import { STANDARD_PLUGINS } from '@muster/core';
import { builtinCatalog, type CatalogEntry } from '../reference/catalog.js';
import { starterConfig } from '../reference/starter.js';
import { starterModules } from '../reference/starter-module.js';
import { createCommandContext } from '../command-context.js';
import { reportError } from './report.js';

/** The short name of a built-in plugin named by its short or package name. */
function builtinName(use: string): string | undefined {
  if (Object.hasOwn(STANDARD_PLUGINS, use)) return use;
  return Object.entries(STANDARD_PLUGINS).find(([, pkg]) => pkg === use)?.[0];
}

/**
 * `muster config [PLUGIN...] [--schema REF]`: prints a starter config, like `telegraf config`:
 * muster's keys and one instance of each named plugin (every built-in when none is named) with
 * every option at its default, explained in comments. A PLUGIN may also be a package name or a
 * ./path, resolved from the current folder. With `--module PLUGIN...`, prints `modules:` entries
 * for `/probe` instead, with the Prometheus scrape config that uses them.
 */
export async function configCommand(names: readonly string[], options: { schema?: string; module?: string[] }): Promise<number> {
  const { host } = createCommandContext({ logLevel: 'silent' });
  let entries: CatalogEntry[];
  if (options.module !== undefined) names = [...names, ...options.module];
  try {
    if (names.length === 0) entries = await builtinCatalog(host.loader);
    else {
      entries = [];
      for (const name of names) {
        const builtin = builtinName(name);
        const use = builtin ?? name;
        const { plugin } = await host.loader.load(use, process.cwd());
        entries.push({ use, uses: [use], plugin, builtin: builtin !== undefined });
      }
    }
  } catch (err) {
    return reportError(err);
  }
  if (options.module !== undefined) {
    const refused = entries.find((e) => e.plugin.target === undefined);
    if (refused !== undefined) {
      process.stderr.write(`muster: plugin "${refused.plugin.name}" takes no target, so it cannot be a module (plugins that do: http-health, postgres, jenkins)\n`);
      return 1;
    }
  }
  const text = options.module !== undefined ? starterModules(entries) : starterConfig(entries, { schemaRef: options.schema ?? 'muster.schema.json' });
  await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
  return 0;
}
