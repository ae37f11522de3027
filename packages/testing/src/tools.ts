import { spawnSync } from 'node:child_process';

/** The Debian package of each OS tool muster's tests use. */
const DEBIAN_PACKAGES: Readonly<Record<string, string>> = { promtool: 'prometheus', prometheus: 'prometheus' };

function locate(name: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path !== '' ? path : undefined;
}

/**
 * Where an OS tool (promtool, prometheus, wrk, kubectl…) is, or why a test that needs it must
 * skip. In CI (`CI=true`) a missing tool throws instead: CI installs them and never skips.
 */
export function requireTool(name: string, debianPackage = DEBIAN_PACKAGES[name] ?? name): { path: string } | { skip: string } {
  const path = locate(name);
  if (path !== undefined) return { path };
  if (process.env.CI === 'true') throw new Error(`${name} is required in CI but is not installed (Debian package "${debianPackage}")`);
  return { skip: `SKIPPED: ${name} is not installed (Debian package "${debianPackage}")` };
}

/**
 * The `skip` option of a `node:test` test that needs `name`: a clear message when it is missing,
 * `false` when present — and `false` in CI, where the test then runs and fails without it.
 */
export function toolSkip(name: string, debianPackage = DEBIAN_PACKAGES[name] ?? name): string | false {
  if (locate(name) !== undefined || process.env.CI === 'true') return false;
  return `SKIPPED: ${name} is not installed (Debian package "${debianPackage}")`;
}

/** Runs `promtool check metrics` on an exposition; throws when promtool is missing. */
export function promtoolCheck(exposition: string): { code: number | null; output: string } {
  const path = locate('promtool');
  if (path === undefined) throw new Error('promtool is required (Debian package "prometheus") but is not installed');
  const result = spawnSync(path, ['check', 'metrics'], { input: exposition, encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}
