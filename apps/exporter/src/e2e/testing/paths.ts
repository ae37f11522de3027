import { fileURLToPath } from 'node:url';

/** The built CLI. */
export const CLI = fileURLToPath(new URL('../../cli.js', import.meta.url));
/** The repository root (for the shipped muster.yaml). */
export const REPO_ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
/** Test plugins, referenced by absolute path from configs in temp folders. */
export const FIXTURES = fileURLToPath(new URL('../../../test-fixtures/', import.meta.url));
