/**
 * muster's one error factory. Every error muster raises on purpose has a code
 * `MUSTER_ERR_…`, documented in `docs/errors.md` (a test keeps the two in step). Recognise one
 * with {@link isMusterError}, never by its message or the prefix of its code.
 */
import type { ConfigIssue } from './config/issues.js';

/** Every error code with the message template it formats; `%s` are filled in order. */
export const ERROR_CODES = {
  MUSTER_ERR_CONFIG_NOT_FOUND: 'no config file found: %s',
  MUSTER_ERR_CONFIG_READ: 'cannot read config file %s: %s',
  MUSTER_ERR_CONFIG_PARSE: 'config file %s is not valid YAML or JSON: %s',
  MUSTER_ERR_CONFIG_LIMIT: 'config file %s is refused, over the limit %s: %s',
  MUSTER_ERR_CONFIG_EMPTY: 'config file %s holds no configuration (it is empty or only comments); write "plugins: []" to run no instance on purpose',
  MUSTER_ERR_CONFIG_INVALID: 'config file %s has %s error(s):\n%s',
  MUSTER_ERR_PLUGIN_NOT_FOUND: 'plugin "%s" not found: %s',
  MUSTER_ERR_PLUGIN_LOAD: 'plugin "%s" failed to load: %s',
  MUSTER_ERR_PLUGIN_INVALID: 'plugin "%s" is not a muster plugin: %s',
  MUSTER_ERR_PLUGIN_API_VERSION: 'plugin "%s" needs plugin API version %s, this muster supports %s',
  MUSTER_ERR_PLUGIN_SDK_COPY: 'plugin "%s" brings its own copy of @muster/sdk: %s',
  MUSTER_ERR_PLUGIN_CREATE: 'instance "%s": plugin "%s" failed to create its collector: %s',
  MUSTER_ERR_METRIC_INVALID: 'instance "%s": %s',
  MUSTER_ERR_METRIC_CONFLICT: 'metric "%s" %s',
  MUSTER_ERR_INVALID_OUTPUT: 'instance "%s" wrote invalid output: %s',
  MUSTER_ERR_SERIES_LIMIT: 'instance "%s" wrote %s series, more than its maxSeries of %s',
  MUSTER_ERR_CYCLE_TIMEOUT: 'instance "%s" did not finish its cycle within %s ms',
  MUSTER_ERR_SHUTTING_DOWN: 'muster is shutting down',
  MUSTER_ERR_PROBE_MODULE: 'unknown module "%s" (the config defines: %s)',
  MUSTER_ERR_PROBE_TARGET_MISSING: 'no target: probe with ?module=NAME&target=TARGET',
  MUSTER_ERR_PROBE_TARGET_REFUSED: 'module "%s" refuses the target: %s',
  MUSTER_ERR_WEB_CONFIG_READ: 'cannot read web config file %s: %s',
  MUSTER_ERR_WEB_CONFIG_PARSE: 'web config file %s is not valid YAML: %s',
  MUSTER_ERR_WEB_CONFIG_INVALID: 'web config file %s has %s error(s):\n%s',
  MUSTER_ERR_INVALID_ARGUMENT: '%s: %s',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * An error with a stable code; `details` holds structured data (never secrets), `issues` each
 * problem of an invalid file (`MUSTER_ERR_CONFIG_INVALID`, `MUSTER_ERR_WEB_CONFIG_INVALID`) with
 * its path, empty for every other code.
 */
export class MusterError extends Error {
  readonly code: ErrorCode;
  readonly details: readonly string[];
  readonly issues: readonly ConfigIssue[];

  constructor(code: ErrorCode, message: string, details: readonly string[] = [], cause?: unknown, issues: readonly ConfigIssue[] = []) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'MusterError';
    this.code = code;
    this.details = details;
    this.issues = issues;
  }
}

/** The message of `code`: its template filled with `args` in order. */
function format(code: ErrorCode, args: readonly (string | number)[]): string {
  let i = 0;
  return ERROR_CODES[code].replace(/%s/g, () => String(args[i++] ?? ''));
}

/** Builds a {@link MusterError} for `code`, filling the code's template with `args`. */
export function createError(code: ErrorCode, args: readonly (string | number)[], cause?: unknown): MusterError {
  return new MusterError(code, format(code, args), args.map(String), cause);
}

/**
 * The error of a file that has problems, listing each on its own line (`  path: message`) and
 * keeping them as {@link MusterError.issues}.
 */
export function createIssuesError(code: 'MUSTER_ERR_CONFIG_INVALID' | 'MUSTER_ERR_WEB_CONFIG_INVALID', file: string, issues: readonly ConfigIssue[]): MusterError {
  const args = [file, issues.length, issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')];
  return new MusterError(code, format(code, args), args.map(String), undefined, issues);
}

/** True when `err` is a {@link MusterError}, of one of `codes` when any are given. */
export function isMusterError(err: unknown, ...codes: ErrorCode[]): err is MusterError {
  return err instanceof MusterError && (codes.length === 0 || codes.includes(err.code));
}

/**
 * A short, single-line description of any thrown value. Never throws: a value whose message
 * getter, `toString` or prototype throws (a plugin can reject with anything) is described by
 * its type alone.
 */
export function describeError(err: unknown): string {
  try {
    if (err instanceof Error) {
      const message: unknown = err.message;
      return typeof message === 'string' ? (message.split('\n')[0] ?? '') : String(message);
    }
    return String(err);
  } catch {
    try {
      return `an unprintable ${Object.prototype.toString.call(err)}`;
    } catch {
      return `an unprintable ${typeof err}`;
    }
  }
}
