import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The deploy/ folder (seen from dist/). */
export const DEPLOY_DIR = fileURLToPath(new URL('../', import.meta.url));
/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The built `muster` command of @muster/exporter. */
export const MUSTER_CLI = fileURLToPath(new URL('./cli.js', import.meta.resolve('@muster/exporter')));

/**
 * Where an OS tool is, or why the test must skip. In CI (`CI=true`) a missing tool is an error,
 * never a skip: .ci/run installs them.
 */
export function requireTool(name: string, debianPackage: string): { path: string } | { skip: string } {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status === 0 && path !== '') return { path };
  if (process.env.CI === 'true') throw new Error(`${name} is required in CI but is not installed (.ci/run installs it)`);
  return { skip: `SKIPPED: ${name} is not installed (Debian package "${debianPackage}"); run .ci/run or apt-get install ${debianPackage}` };
}
