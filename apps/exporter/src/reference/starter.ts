import { DEFAULTS } from '@muster/core';
import { stringify } from 'yaml';
import type { CatalogEntry } from './catalog.js';
import { exampleConfig } from './example-config.js';
import { coreJsonSchema, type JsonSchema, pluginConfigJsonSchema } from './json-schema.js';

/** Options of {@link starterConfig}. */
export interface StarterOptions {
  /** What the `yaml-language-server` comment points at; no comment when empty. */
  readonly schemaRef?: string;
}

const WIDTH = 100;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A value as YAML on one line: plain or quoted scalars, flow lists and maps. */
export function yamlValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(yamlValue).join(', ')}]`;
  if (isObject(value)) {
    const entries = Object.entries(value);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${yamlValue(k)}: ${yamlValue(v)}`).join(', ')} }`;
  }
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

/** `text` as `# ` comment lines at `indent`, wrapped. */
export function comment(text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && indent.length + 2 + line.length + 1 + word.length > WIDTH) {
      lines.push(`${indent}# ${line}`);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(`${indent}# ${line}`);
  return lines;
}

/** A hint for an option left out (optional, no default): its type or values. */
function hint(node: JsonSchema): string {
  const inner = Array.isArray(node.anyOf) ? (node.anyOf[0] as JsonSchema) : node;
  if (Array.isArray(inner.enum)) return inner.enum.map((v) => yamlValue(v)).join(' | ');
  const type = Array.isArray(inner.type) ? inner.type.join(' or ') : String(inner.type ?? 'value');
  return typeof inner.format === 'string' ? `<${type}: ${inner.format}>` : `<${type}>`;
}

/**
 * The comment over a placeholder: the plugin's own words for what is required, or, when the schema
 * only has zod's generic text ("Invalid input: expected string…"), the type the value must have.
 */
function requiredNote(why: string, prop: JsonSchema): string {
  const own = why.replace(/^required:?\s*/i, '');
  if (/^(Invalid|Too (big|small))/.test(own)) return `required ${hint(prop)} — a placeholder, replace it`;
  return `required — a placeholder, replace it: ${own}`;
}

function properties(node: JsonSchema): [string, JsonSchema][] {
  return Object.entries((node.properties ?? {}) as Record<string, JsonSchema>);
}

/**
 * The keys of an object schema as commented YAML lines: each key with its description, at its
 * default; a key without a default commented out (`# key: <type>`), unless `given` holds a value
 * for it (a placeholder), which is written and marked `# required`.
 */
export function emitObject(node: JsonSchema, given: Record<string, unknown>, indent: string, required: ReadonlyMap<string, string>, prefix: string): string[] {
  const lines: string[] = [];
  for (const [key, prop] of properties(node)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    const description = typeof prop.description === 'string' ? prop.description : '';
    const value = given[key];
    const nested = prop.type === 'object' && prop.properties !== undefined;
    if (description !== '') lines.push(...comment(description, indent));
    if (nested) {
      const children = emitObject(prop, isObject(value) ? value : {}, `${indent}  `, required, path);
      if (children.some((l) => !l.trimStart().startsWith('#'))) lines.push(`${indent}${yamlValue(key)}:`, ...children);
      else lines.push(`${indent}${yamlValue(key)}: {}`, ...children);
      continue;
    }
    if (value !== undefined) {
      const why = required.get(path);
      if (why !== undefined) lines.push(...comment(requiredNote(why, prop), indent));
      lines.push(`${indent}${yamlValue(key)}: ${yamlValue(value)}`);
    } else if (prop.default !== undefined) {
      lines.push(`${indent}${yamlValue(key)}: ${yamlValue(prop.default)}`);
    } else {
      lines.push(`${indent}# ${yamlValue(key)}: ${hint(prop)}`);
    }
  }
  return lines;
}

/** A unique instance name for a plugin. */
function instanceName(entry: CatalogEntry, taken: Set<string>): string {
  const base = entry.plugin.name;
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  taken.add(name);
  return name;
}

/** One `plugins:` entry for a plugin, every `config` option at its default, as lines at two spaces. */
export function instanceLines(entry: CatalogEntry, name: string): string[] {
  const core = coreJsonSchema();
  const item = ((core.properties as Record<string, JsonSchema>).plugins as JsonSchema).items as JsonSchema;
  const keys = item.properties as Record<string, JsonSchema>;
  const about = (key: string) => String(keys[key]?.description ?? '');
  const { plugin } = entry;
  const json = pluginConfigJsonSchema(plugin);
  const example = exampleConfig(plugin, json);
  const lines: string[] = [];
  const where = entry.builtin ? ` Reference: docs/plugins/${plugin.name}.md.` : '';
  lines.push(...comment(`${plugin.name}: ${plugin.description ?? 'a muster plugin.'}${where}`, '  '));
  lines.push(`  - name: ${yamlValue(name)}`, `    use: ${yamlValue(entry.use)}`);
  lines.push(...comment(about('schedule'), '    '), `    schedule: ${yamlValue(plugin.defaults?.schedule ?? DEFAULTS.schedule)}`);
  lines.push(...comment(about('timeout'), '    '), `    timeout: ${yamlValue(plugin.defaults?.timeout ?? DEFAULTS.timeout)}`);
  lines.push('    # Also per instance, over the defaults above (see docs/configuration.md):');
  lines.push(`    # jitter: ${DEFAULTS.jitter}`, '    # labels: { team: web }', `    # onFailure: ${DEFAULTS.onFailure}`, `    # maxSeries: ${DEFAULTS.maxSeries}`);
  lines.push(...comment(`The plugin's own settings: every option at its default.`, '    '));
  const config = emitObject(json, example.value, '      ', example.required, '');
  if (config.some((l) => !l.trimStart().startsWith('#'))) lines.push('    config:', ...config);
  else lines.push('    config: {}', ...config);
  return lines;
}

/**
 * A starter config, like `telegraf config`: muster's own keys and one instance of each plugin
 * of `entries`, every option at its default and explained by the schemas' descriptions. Values
 * that have no default but are required get a placeholder that validates, marked `# required`.
 */
export function starterConfig(entries: readonly CatalogEntry[], options: StarterOptions = {}): string {
  const core = coreJsonSchema();
  const props = core.properties as Record<string, JsonSchema>;
  const lines: string[] = [];
  if (options.schemaRef !== undefined && options.schemaRef !== '') lines.push(`# yaml-language-server: $schema=${options.schemaRef}`);
  const names = entries.map((e) => e.plugin.name).join(', ');
  lines.push(
    ...comment(
      `A starter muster config with every option of ${entries.length === 0 ? 'muster itself' : `the ${names} plugin${entries.length === 1 ? '' : 's'}`} at its default (written by \`muster config\`). Values marked "required" are placeholders to replace. Check the file with \`muster validate --config FILE\`; for completion in an editor, write the schema beside it with \`muster schema > muster.schema.json\`. Any string may use \${ENV}, \${ENV:-default} or \${file:PATH}.`,
      '',
    ),
    '',
  );
  const server = props.server as JsonSchema;
  lines.push(...comment(String(server.description ?? ''), ''), 'server:', ...emitObject(server, {}, '  ', new Map(), 'server'), '');
  const defaults = props.defaults as JsonSchema;
  lines.push(...comment(String(defaults.description ?? ''), ''), 'defaults:');
  for (const [key, prop] of properties(defaults)) {
    lines.push(...comment(String(prop.description ?? ''), '  '));
    const value = (DEFAULTS as Record<string, unknown>)[key];
    // schedule and timeout stay unset here, so each plugin's own defaults apply.
    if (key === 'schedule' || key === 'timeout') lines.push(`  # ${key}: ${yamlValue(value)}`);
    else if (key === 'labels') lines.push('  labels: {}');
    else lines.push(`  ${key}: ${yamlValue(value)}`);
  }
  lines.push('');
  const plugins = props.plugins as JsonSchema;
  lines.push(...comment(String(plugins.description ?? ''), ''));
  if (entries.length === 0) lines.push('plugins: []');
  else {
    lines.push('plugins:');
    const taken = new Set<string>();
    for (const [n, entry] of entries.entries()) {
      if (n > 0) lines.push('');
      lines.push(...instanceLines(entry, instanceName(entry, taken)));
    }
  }
  return `${lines.join('\n')}\n`;
}
