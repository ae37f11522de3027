import { fileURLToPath } from 'node:url';

/** The deploy/ folder (seen from dist/). */
export const DEPLOY_DIR = fileURLToPath(new URL('../', import.meta.url));
/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The built `muster` command of @muster/exporter. */
export const MUSTER_CLI = fileURLToPath(new URL('./cli.js', import.meta.resolve('@muster/exporter')));
