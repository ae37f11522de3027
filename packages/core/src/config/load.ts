import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { cosmiconfig } from 'cosmiconfig';
import { createError, describeError } from '../errors.js';

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
  readonly raw: unknown;
}

const explorer = cosmiconfig('muster', {
  searchPlaces: [...SEARCH_PLACES],
  searchStrategy: 'none',
  cache: false,
});

/**
 * Finds and parses the config: `file` when given, else the first of {@link SEARCH_PLACES}
 * in `cwd`. Throws MUSTER_ERR_CONFIG_NOT_FOUND / _READ / _PARSE.
 */
export async function loadConfigFile(file: string | undefined, cwd: string): Promise<RawConfig> {
  if (file !== undefined) {
    const full = resolve(cwd, file);
    if (!existsSync(full)) throw createError('MUSTER_ERR_CONFIG_NOT_FOUND', [`${file} does not exist`]);
    try {
      const result = await explorer.load(full);
      return { filepath: full, raw: result?.config ?? {} };
    } catch (err) {
      throw wrapLoadError(full, err);
    }
  }
  let result: Awaited<ReturnType<typeof explorer.search>>;
  try {
    result = await explorer.search(cwd);
  } catch (err) {
    throw wrapLoadError(cwd, err);
  }
  if (result === null) {
    throw createError('MUSTER_ERR_CONFIG_NOT_FOUND', [
      `looked for ${SEARCH_PLACES.join(', ')} in ${cwd}; pass --config FILE`,
    ]);
  }
  return { filepath: result.filepath, raw: result.config ?? {} };
}

function wrapLoadError(where: string, err: unknown) {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EISDIR' || code === 'ENOENT') {
    return createError('MUSTER_ERR_CONFIG_READ', [where, code], err);
  }
  const message = err instanceof Error ? err.message.replace(/\s+/g, ' ').trim() : describeError(err);
  return createError('MUSTER_ERR_CONFIG_PARSE', [where, message], err);
}
