import { existsSync, lstatSync, statSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import type { PublicExplorer } from 'cosmiconfig';
import { createError, describeError, isMusterError } from '../errors.js';
import { CONFIG_LIMITS, checkSize, checkTree } from './limits.js';
import { type ConfigParser, LIMITED_LOADERS, parseJsonConfig, parseYamlConfig } from './parse.js';

/** Names searched for, in order, when no `--config` is given. */
export const SEARCH_PLACES = [
  'package.json',
  'muster.yaml',
  'muster.yml',
  '.musterrc',
  '.musterrc.yaml',
  '.musterrc.yml',
  '.musterrc.json',
  'muster.config.yaml',
  'muster.config.yml',
  'muster.config.json',
  'muster.config.js',
  'muster.config.mjs',
] as const;

/** A config file found and parsed, not yet interpolated or validated. */
export interface RawConfig {
  readonly filepath: string;
  /** The parsed file; `undefined` or `null` when it holds nothing (empty, or only comments). */
  readonly raw: unknown;
}

let explorer: PublicExplorer | undefined;

/** cosmiconfig, for what only it reads (a JS config, the `muster` key of package.json); loaded on first use. */
async function cosmiconfigExplorer(): Promise<PublicExplorer> {
  const { cosmiconfig } = await import('cosmiconfig');
  explorer ??= cosmiconfig('muster', {
    searchPlaces: [...SEARCH_PLACES],
    searchStrategy: 'none',
    cache: false,
    loaders: LIMITED_LOADERS,
  });
  return explorer;
}

/** The parser of a data file muster reads itself (YAML, JSON); undefined for what cosmiconfig reads. */
function dataParser(full: string): ConfigParser | undefined {
  const ext = extname(full);
  // cosmiconfig takes the `muster` key of any `package.*` file.
  if (basename(full, ext) === 'package') return undefined;
  if (ext === '') return LIMITED_LOADERS.noExt;
  return Object.hasOwn(LIMITED_LOADERS, ext) ? LIMITED_LOADERS[ext as keyof typeof LIMITED_LOADERS] : undefined;
}

/**
 * Reads a file that is not a regular one (a pipe such as `--config /dev/stdin` or `<(…)`, a
 * device) up to one byte past the size limit, so that an endless source is refused, not drained.
 */
async function readBounded(full: string): Promise<string> {
  const handle = await open(full, 'r');
  try {
    const buffer = Buffer.alloc(CONFIG_LIMITS.maxBytes + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      checkSize(full, length, true);
    }
    return buffer.toString('utf8', 0, length);
  } finally {
    await handle.close();
  }
}

/** Parses a file that is not a regular one with the data loaders (a JS config must be a regular file). */
async function loadSpecial(full: string): Promise<unknown> {
  const text = await readBounded(full);
  if (text.trim() === '') return undefined;
  const ext = extname(full);
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs') throw createError('MUSTER_ERR_CONFIG_READ', [full, 'a JavaScript config must be a regular file']);
  const loader = ext === '.json' ? parseJsonConfig : parseYamlConfig;
  return loader(full, text);
}

/** Loads one file within the limits; `null` when it is a package.json without a `muster` key. */
async function loadLimited(full: string): Promise<RawConfig | null> {
  let config: unknown;
  try {
    const stat = statSync(full);
    if (stat.isFile()) {
      // A regular file is refused by its size before it is read.
      checkSize(full, stat.size);
      const parse = dataParser(full);
      if (parse !== undefined) {
        // As cosmiconfig reads it: an empty file (or only white space) holds nothing.
        const text = await readFile(full, 'utf8');
        config = text.trim() === '' ? undefined : parse(full, text);
      } else {
        const result = await (await cosmiconfigExplorer()).load(full);
        if (result === null) return null;
        config = result.config;
      }
    } else if (stat.isDirectory()) {
      throw createError('MUSTER_ERR_CONFIG_READ', [full, 'EISDIR']);
    } else {
      config = await loadSpecial(full);
    }
  } catch (err) {
    throw wrapLoadError(full, err);
  }
  checkTree(full, config);
  return { filepath: full, raw: config };
}

/** True when a folder holds an entry at `full` (a symbolic link counts, wherever it points). */
function hasEntry(full: string): boolean {
  try {
    lstatSync(full);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds and parses the config: `file` when given, else the first of {@link SEARCH_PLACES}
 * in `cwd`. Every file is held to {@link CONFIG_LIMITS} (size, nesting, values, YAML aliases).
 * Throws MUSTER_ERR_CONFIG_NOT_FOUND / _READ / _PARSE / _LIMIT.
 */
export async function loadConfigFile(file: string | undefined, cwd: string): Promise<RawConfig> {
  if (file !== undefined) {
    const full = resolve(cwd, file);
    // lstat, not exists: a symbolic link that loops or dangles is there, just unreadable (ELOOP, ENOENT).
    if (!existsSync(full) && !hasEntry(full)) throw createError('MUSTER_ERR_CONFIG_NOT_FOUND', [`${file} does not exist`]);
    return (await loadLimited(full)) ?? { filepath: full, raw: undefined };
  }
  // The search places in order, each within the limits. Unlike cosmiconfig's own search, an empty
  // file is found (and refused as empty), not skipped in favour of the next name.
  for (const place of SEARCH_PLACES) {
    const full = join(resolve(cwd), place);
    let isFile = false;
    try {
      isFile = statSync(full).isFile();
    } catch {
      continue;
    }
    if (!isFile) continue;
    const found = await loadLimited(full);
    if (found !== null) return found;
  }
  throw createError('MUSTER_ERR_CONFIG_NOT_FOUND', [`looked for ${SEARCH_PLACES.join(', ')} in ${cwd}; pass --config FILE`]);
}

function wrapLoadError(where: string, err: unknown) {
  if (isMusterError(err)) return err;
  if (err instanceof RangeError) {
    // A parser ran out of stack on something the limits did not foresee: still a clear refusal.
    return createError('MUSTER_ERR_CONFIG_PARSE', [where, `too deeply nested to parse (${err.message})`], err);
  }
  const { code, syscall } = err as NodeJS.ErrnoException;
  if (code !== undefined && (syscall !== undefined || code === 'EACCES' || code === 'EISDIR' || code === 'ENOENT')) {
    return createError('MUSTER_ERR_CONFIG_READ', [where, code], err);
  }
  const message = err instanceof Error ? err.message.replace(/\s+/g, ' ').trim() : describeError(err);
  return createError('MUSTER_ERR_CONFIG_PARSE', [where, message], err);
}
