import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPlan, STANDARD_PLUGINS } from '@muster/core';
import { createCommandContext } from '../command-context.js';
import { builtinCatalog } from './catalog.js';
import { musterJsonSchema } from './json-schema.js';
import { documentedMetrics } from './metrics.js';
import { referenceSections } from './readme-sections.js';
import { configurationPage, type ExposedFamily, pluginPage, selfMetricsPage } from './reference.js';

/** The repository root (this file is apps/exporter/dist/reference/generate.js once built). */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Where the generated pages of the plugins live, relative to the root. */
export const PLUGIN_DOCS_DIR = 'docs/plugins';

/** Families (HELP, TYPE, label names) of a text-format exposition. */
export function exposedFamilies(body: string): ExposedFamily[] {
  const families = new Map<string, { name: string; type: string; help: string; labels: Set<string> }>();
  const family = (name: string) => {
    let f = families.get(name);
    if (f === undefined) {
      f = { name, type: 'untyped', help: '', labels: new Set() };
      families.set(name, f);
    }
    return f;
  };
  for (const line of body.split('\n')) {
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta !== null) {
      const f = family(meta[2] as string);
      if (meta[1] === 'HELP') f.help = (meta[3] as string).replace(/\\\\/g, '\\').replace(/\\n/g, ' ');
      else f.type = meta[3] as string;
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}/.exec(line);
    if (sample === null) continue;
    const name = (sample[1] as string).replace(/_(bucket|sum|count|total|created)$/, '');
    const f = families.get(sample[1] as string) ?? families.get(name);
    if (f === undefined) continue;
    for (const m of (sample[2] as string).matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)) {
      if (m[1] !== 'le' && m[1] !== 'quantile') f.labels.add(m[1] as string);
    }
  }
  return [...families.values()].map((f) => ({ name: f.name, type: f.type, help: f.help, labels: [...f.labels] }));
}

/**
 * Every generated file, by path relative to the repository root: the JSON Schema, the
 * configuration reference, muster's own metrics and one page per built-in plugin. Nothing is
 * written; {@link writeDocs} does that, and a test compares this with the committed files.
 */
export async function generatedDocs(): Promise<Map<string, string>> {
  const { host } = createCommandContext({ logLevel: 'silent' });
  const entries = await builtinCatalog(host.loader);
  const files = new Map<string, string>();
  files.set('docs/muster.schema.json', `${JSON.stringify(musterJsonSchema(entries), null, 2)}\n`);
  files.set('docs/configuration.md', configurationPage(entries));
  for (const entry of entries) {
    const metrics = await documentedMetrics(entry.plugin);
    const readme = join(REPO_ROOT, 'plugins', entry.plugin.name, 'README.md');
    const sections = existsSync(readme) ? referenceSections(readFileSync(readme, 'utf8')) : '';
    files.set(`${PLUGIN_DOCS_DIR}/${entry.plugin.name}.md`, pluginPage(entry, metrics, STANDARD_PLUGINS[entry.use], sections));
  }
  // muster's own metrics, from a real exposition of a runtime with one (not yet run) instance
  // and one module; the instance is given a backend verdict, as a plugin that states one has.
  const plan = await buildPlan(
    { plugins: [{ name: 'example', use: 'system', selfMetrics: 'full' }], modules: { example: { use: 'http-health' } } },
    join(REPO_ROOT, 'muster.yaml'),
    host.loader,
    {},
  );
  host.load(plan);
  const runtime = host.runtime;
  const example = runtime.instances[0];
  if (example !== undefined) example.health.target = { healthy: false, reason: 'status-503' };
  try {
    const { body } = await runtime.exposition('text');
    files.set('docs/metrics.md', selfMetricsPage(exposedFamilies(body)));
  } finally {
    await runtime.stop();
  }
  return files;
}

/** Generated files that differ from (or are missing in) the tree, and stale plugin pages. */
export function outOfDate(files: ReadonlyMap<string, string>, root = REPO_ROOT): string[] {
  const problems: string[] = [];
  for (const [path, text] of files) {
    const full = join(root, path);
    if (!existsSync(full)) problems.push(`${path} is missing`);
    else if (readFileSync(full, 'utf8') !== text) problems.push(`${path} differs from what the schemas and metric declarations say`);
  }
  const dir = join(root, PLUGIN_DOCS_DIR);
  if (existsSync(dir)) {
    for (const name of readdirSync(dir)) {
      const path = `${PLUGIN_DOCS_DIR}/${name}`;
      if (name.endsWith('.md') && !files.has(path)) problems.push(`${path} documents no built-in plugin`);
    }
  }
  return problems;
}

/** Writes every generated file under `root`. */
export function writeDocs(files: ReadonlyMap<string, string>, root = REPO_ROOT): void {
  for (const [path, text] of files) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
}

/** `node dist/reference/generate.js [--write]`: checks the docs (exit 1 when out of date), or rewrites them. */
async function main(args: readonly string[]): Promise<number> {
  const files = await generatedDocs();
  if (args.includes('--write')) {
    writeDocs(files);
    for (const path of files.keys()) process.stdout.write(`wrote ${path}\n`);
    return 0;
  }
  const problems = outOfDate(files);
  for (const p of problems) process.stderr.write(`${p}\n`);
  if (problems.length > 0) process.stderr.write('run `pnpm --filter @muster/exporter run docs` to regenerate\n');
  return problems.length === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const code = await main(process.argv.slice(2));
  process.exit(code);
}
