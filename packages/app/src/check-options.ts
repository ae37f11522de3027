import { createError, describeValue } from '@muster/core';

/** A value that must be a string when given: refused with the option's name otherwise. */
function optionalString(name: string, value: unknown, what: string): void {
  if (value === undefined || typeof value === 'string') return;
  throw createError('MUSTER_ERR_INVALID_ARGUMENT', [`createMuster options.${name}`, `expected ${what}, found ${describeValue(value)}`]);
}

/** A value that must be a mapping of string values when given (`builtins`, `env`). */
function optionalStringMap(name: string, value: unknown, what: string): void {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw createError('MUSTER_ERR_INVALID_ARGUMENT', [`createMuster options.${name}`, `expected ${what}, found ${describeValue(value)}`]);
  }
  for (const [key, entry] of Object.entries(value)) {
    if (entry !== undefined && typeof entry !== 'string') {
      throw createError('MUSTER_ERR_INVALID_ARGUMENT', [`createMuster options.${name}.${key}`, `expected a string, found ${describeValue(entry)}`]);
    }
  }
}

/**
 * Refuses options of the wrong type (from JavaScript, or cast) with `MUSTER_ERR_INVALID_ARGUMENT`
 * naming the option, before they reach node's path functions and fail there without a code.
 */
export function checkMusterOptions(options: Record<string, unknown>): void {
  if (options.config !== undefined && options.configFile !== undefined) {
    throw createError('MUSTER_ERR_INVALID_ARGUMENT', ['createMuster', 'pass either "config" or "configFile", not both']);
  }
  optionalString('configFile', options.configFile, 'a config file path (a string)');
  if (options.configFile === '') throw createError('MUSTER_ERR_INVALID_ARGUMENT', ['createMuster options.configFile', 'expected a config file path, found ""']);
  optionalString('cwd', options.cwd, 'a folder path (a string)');
  const from = options.resolveFrom;
  if (from !== undefined && typeof from !== 'string' && !(from instanceof URL)) {
    throw createError('MUSTER_ERR_INVALID_ARGUMENT', ['createMuster options.resolveFrom', `expected a module URL (a string or URL), found ${describeValue(from)}`]);
  }
  optionalStringMap('builtins', options.builtins, 'a mapping of plugin short names to package names');
  optionalStringMap('env', options.env, 'a mapping of environment variable names to strings');
}
