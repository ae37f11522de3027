import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolve as resolveModule } from 'import-meta-resolve';
import { suggestKey } from '../config/issues.js';

/** Where a plugin reference points, once resolved. */
export interface ResolvedPlugin {
  /** The module URL to import. */
  readonly url: string;
  /** How the reference was understood, for messages. */
  readonly via: 'builtin' | 'package' | 'path';
}

/** How a host finds plugins: its built-in short names and where its own packages resolve from. */
export interface PluginResolveOptions {
  /** Short name → package name, e.g. `http-health` → `@muster/plugin-http-health`. */
  readonly builtins: Readonly<Record<string, string>>;
  /** Module URLs (`import.meta.url` of the host) from which built-ins and fallbacks resolve. */
  readonly hostUrls: readonly string[];
}

/** True when `use` is a filesystem path rather than a name. */
export function isPathReference(use: string): boolean {
  return use.startsWith('./') || use.startsWith('../') || isAbsolute(use) || use === '.';
}

function entryOfDirectory(dir: string): string {
  const pkgFile = join(dir, 'package.json');
  if (existsSync(pkgFile)) {
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as {
      exports?: unknown;
      main?: string;
    };
    const dot = typeof pkg.exports === 'object' && pkg.exports !== null && '.' in pkg.exports
      ? (pkg.exports as Record<string, unknown>)['.']
      : pkg.exports;
    const pick = (entry: unknown): string | undefined => {
      if (typeof entry === 'string') return entry;
      if (entry !== null && typeof entry === 'object') {
        const e = entry as Record<string, unknown>;
        return pick(e.import) ?? pick(e.default) ?? pick(e.node);
      }
      return undefined;
    };
    const target = pick(dot) ?? pkg.main ?? 'index.js';
    return resolvePath(dir, target);
  }
  for (const name of ['index.js', 'index.mjs']) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  throw new Error(`folder ${dir} has neither a package.json nor an index.js`);
}

/**
 * Resolves a plugin reference: a built-in short name, a package name (from the config file's
 * folder first, then from the host), or a path relative to the config file.
 * Throws an `Error` whose message says what was tried.
 */
export function resolvePlugin(use: string, configDir: string, options: PluginResolveOptions): ResolvedPlugin {
  if (isPathReference(use)) {
    const full = resolvePath(configDir, use);
    if (!existsSync(full)) throw new Error(`no file or folder at ${use} (relative to the config file)`);
    const file = statSync(full).isDirectory() ? entryOfDirectory(full) : full;
    if (!existsSync(file)) throw new Error(`entry point ${file} of ${use} does not exist`);
    return { url: pathToFileURL(file).href, via: 'path' };
  }
  const builtin = options.builtins[use];
  if (builtin !== undefined) {
    for (const host of options.hostUrls) {
      try {
        return { url: resolveModule(builtin, host), via: 'builtin' };
      } catch {
        // try the next host location
      }
    }
    throw new Error(`built-in plugin package ${builtin} is not installed`);
  }
  const parents = [pathToFileURL(join(configDir, 'muster.config.js')).href, ...options.hostUrls];
  for (const parent of parents) {
    try {
      return { url: resolveModule(use, parent), via: 'package' };
    } catch {
      // try the next location
    }
  }
  const names = Object.keys(options.builtins).sort();
  const guess = suggestKey(use, names);
  throw new Error(
    `expected a built-in plugin (${names.join(', ')}), an installed package name, or a path starting with ./ or ../; "${use}" is none of these${guess === undefined ? '' : ` (did you mean "${guess}"?)`}`,
  );
}
