/**
 * Checks of a plugin's shipped sample config and README, as every plugin of the repository has
 * them (`sample.yaml` beside `README.md`, whose Configuration section holds it verbatim).
 */
import type { Plugin } from '@muster/sdk';
import { parse } from 'yaml';

/** One entry of a sample config's `plugins` list. */
export interface SampleEntry {
  readonly name?: string;
  readonly use?: string;
  readonly config?: unknown;
}

/** The `plugins` entries of a config file's text (empty when it has none). */
export function sampleEntries(text: string): SampleEntry[] {
  const doc = parse(text) as { plugins?: unknown } | null;
  return Array.isArray(doc?.plugins) ? (doc.plugins as SampleEntry[]) : [];
}

/**
 * What is wrong with a sample config's text for `plugin`: no `plugins` entry, an entry that does
 * not `use` it, or a `config` its schema refuses (`plugins[i].config.path: message`). Empty when
 * the sample is right. Interpolations (`${…}`) are the caller's to replace first: muster
 * validates after interpolating.
 */
export function sampleConfigProblems(plugin: Plugin, text: string): string[] {
  const entries = sampleEntries(text);
  if (entries.length === 0) return ['the sample has no plugins entry'];
  const problems: string[] = [];
  for (const [index, entry] of entries.entries()) {
    if (entry.use !== plugin.name) problems.push(`plugins[${index}].use: expected ${plugin.name}, found ${String(entry.use)}`);
    const result = plugin.configSchema.safeParse(entry.config ?? {});
    for (const issue of result.error?.issues ?? []) problems.push(`plugins[${index}].config.${issue.path.join('.')}: ${issue.message}`);
  }
  return problems;
}

/** The text of a README's `## title` section, from its heading to the next `## ` one; throws when it has none. */
export function readmeSection(readme: string, title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start === -1) throw new Error(`README has no "## ${title}" section`);
  const next = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, next === -1 ? undefined : next);
}
