import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './paths.js';

/** Parses YAML text into plain data. */
export function yamlData(text: string): unknown {
  return parse(text);
}

/** The repository's YAML files (no node_modules, dist, .git, test artifacts), relative to the root. */
export function repoYamlFiles(root = REPO_ROOT): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name === 'dist' || name === '.git' || name === '.turbo' || name === 'test-artifacts' || name === '.ci') continue;
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(name) && name !== 'pnpm-lock.yaml' && name !== 'pnpm-workspace.yaml') out.push(relative(root, full));
    }
  };
  walk(root);
  return out.sort();
}

/** The sample configs of the repository: the root muster.yaml, every sample.yaml, and muster configs under deploy/. */
export function sampleConfigs(root = REPO_ROOT): string[] {
  return repoYamlFiles(root).filter((file) => {
    if (file === 'muster.yaml' || /(^|\/)sample\.ya?ml$/.test(file)) return true;
    if (!file.startsWith('deploy/')) return false;
    const data = yamlData(readFileSync(join(root, file), 'utf8')) as { plugins?: unknown } | null;
    return data !== null && typeof data === 'object' && Array.isArray(data.plugins);
  });
}
