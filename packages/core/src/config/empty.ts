import { createError } from '../errors.js';

/**
 * Refuses a config file that holds nothing: empty, only comments, or a bare `---`/`null`. Such
 * a file is almost always a mistake (truncated, not yet written, the wrong path); running no
 * instance on purpose is written `plugins: []`. Throws MUSTER_ERR_CONFIG_EMPTY.
 */
export function checkNotEmpty(raw: unknown, filepath: string): void {
  if (raw === undefined || raw === null) throw createError('MUSTER_ERR_CONFIG_EMPTY', [filepath]);
}
