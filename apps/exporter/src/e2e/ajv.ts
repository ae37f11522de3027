import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { parse } from 'yaml';
import { REPO_ROOT } from './support.js';

// ajv-formats is CommonJS: under NodeNext its default import is typed as the module object.
const addFormats = (addFormatsModule as unknown as { default: FormatsPlugin }).default;

/** Compiles a JSON Schema with ajv in strict mode (unknown keywords or formats are errors). */
export function compileSchema(schema: object): ValidateFunction {
  const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** ajv's errors, one per line, with their paths. */
export function describeErrors(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '(root)'}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`).join('\n');
}

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
