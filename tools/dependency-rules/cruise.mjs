/**
 * Runs dependency-cruiser's command line with a rule file on a tree and returns its violations.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const DEPCRUISE = fileURLToPath(new URL('node_modules/.bin/depcruise', import.meta.url));

/** The sources of every workspace package, as paths relative to the repository (or a fixture). */
export const SOURCES = ['packages', 'plugins', 'apps', 'examples'].map((d) => `${d}/*/src`).concat(['bench/src', 'deploy/src']);

/**
 * Cruises `sources` (globs relative to `cwd`) with `config` and returns each violation as
 * `rule: from → to`.
 */
export function violations(cwd, config, sources) {
  const run = spawnSync('sh', ['-c', `"${DEPCRUISE}" --config "${config}" --output-type json ${sources.join(' ')}`], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0 && run.stdout.trim() === '') throw new Error(`depcruise failed (${run.status}): ${run.stderr}`);
  const result = JSON.parse(run.stdout);
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
}
