import { DEFAULTS, SEARCH_PLACES, SELF_SERIES_PER_INSTANCE } from '@muster/core';
import { targetKeys } from '@muster/sdk';
import type { CatalogEntry } from './catalog.js';
import { exampleConfig } from './example-config.js';
import { coreJsonSchema, type JsonSchema, pluginConfigJsonSchema } from './json-schema.js';
import type { DocumentedMetric } from './metrics.js';
import { instanceLines, yamlValue } from './starter.js';

/** The first line of every generated page. */
export const GENERATED_NOTE =
  '<!-- Generated from the config schemas and metric declarations by `pnpm --filter @muster/exporter run docs` (apps/exporter/src/reference/generate.ts). Do not edit: a test fails when this file is out of date. -->';

/** Text safe inside a Markdown table cell: pipes escaped, and `<…>` outside code spans shown as text. */
function cell(text: string): string {
  return text
    .split('`')
    .map((part, n) => (n % 2 === 0 ? part.replace(/</g, '&lt;').replace(/>/g, '&gt;') : part))
    .join('`')
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function isObject(value: unknown): value is JsonSchema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Bounds of a number, as text: `1–30`, `≥ 0`, `> 0`. */
function bounds(node: JsonSchema): string {
  const low = typeof node.minimum === 'number' ? `${node.minimum}` : typeof node.exclusiveMinimum === 'number' ? `> ${node.exclusiveMinimum}` : undefined;
  const high = typeof node.maximum === 'number' ? `${node.maximum}` : undefined;
  if (low !== undefined && high !== undefined && !low.startsWith('>')) return ` ${low}–${high}`;
  if (low !== undefined && high !== undefined) return ` ${low}, ≤ ${high}`;
  if (low !== undefined) return low.startsWith('>') ? ` ${low}` : ` ≥ ${low}`;
  if (high !== undefined) return ` ≤ ${high}`;
  return '';
}

/** A schema node's type in words: `string`, `integer 1–30`, `list of string`, `"drop" \| "keep"`. */
export function typeText(node: JsonSchema): string {
  if (Array.isArray(node.anyOf)) {
    const parts = [...new Set((node.anyOf as JsonSchema[]).map(typeText))];
    return parts.join(' or ');
  }
  if (Array.isArray(node.enum)) return node.enum.map((v) => code(yamlValue(v))).join(' | ');
  if (node.const !== undefined) return code(yamlValue(node.const));
  const type = Array.isArray(node.type) ? node.type.join(' or ') : String(node.type ?? 'any');
  if (type === 'array') return `list of ${isObject(node.items) ? typeText(node.items) : 'any'}`;
  if (type === 'object' && isObject(node.additionalProperties)) return `map of ${typeText(node.additionalProperties)}`;
  if (type === 'integer' || type === 'number') return `${type}${bounds(node)}`;
  return type;
}

interface OptionRow {
  readonly path: string;
  readonly node: JsonSchema;
  readonly required: boolean;
}

/** Every option of an object schema, nested objects flattened (`tls.ca`) after their parent. */
function optionRows(node: JsonSchema, prefix = ''): OptionRow[] {
  const rows: OptionRow[] = [];
  const required = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
  for (const [key, prop] of Object.entries((node.properties ?? {}) as Record<string, JsonSchema>)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    rows.push({ path, node: prop, required: required.has(key) });
    if (prop.type === 'object' && isObject(prop.properties)) rows.push(...optionRows(prop, path));
  }
  return rows;
}

/** A Markdown table of options: key, type, default, meaning. */
function optionsTable(node: JsonSchema, prefix: string, requiredNotes: ReadonlyMap<string, string> = new Map()): string {
  const lines = ['| key | type | default | meaning |', '| --- | --- | --- | --- |'];
  for (const row of optionRows(node)) {
    const note = requiredNotes.get(row.path);
    const fallback = row.required ? '**required**' : row.node.default !== undefined ? code(yamlValue(row.node.default)) : note !== undefined ? '**required** (see meaning)' : '–';
    const key = prefix === '' ? row.path : `${prefix}${row.path}`;
    lines.push(`| ${code(key)} | ${cell(typeText(row.node))} | ${cell(fallback)} | ${cell(String(row.node.description ?? ''))} |`);
  }
  return lines.join('\n');
}

/** The defaults a plugin's instances get, as text. */
function pluginDefaults(entry: CatalogEntry): string {
  const d = entry.plugin.defaults;
  return `schedule ${code(d?.schedule ?? DEFAULTS.schedule)}, timeout ${code(d?.timeout ?? DEFAULTS.timeout)}`;
}

/** docs/configuration.md: core's keys, from core's schema. */
export function configurationPage(entries: readonly CatalogEntry[]): string {
  const core = coreJsonSchema();
  const props = core.properties as Record<string, JsonSchema>;
  const server = props.server as JsonSchema;
  const defaults = props.defaults as JsonSchema;
  const item = (props.plugins as JsonSchema).items as JsonSchema;
  const plugins = entries
    .map((e) => `| [${code(e.use)}](plugins/${e.plugin.name}.md) | ${cell(e.plugin.description ?? '')} | ${pluginDefaults(e)} |`)
    .join('\n');
  return `${GENERATED_NOTE}

# Configuration reference

muster reads one YAML (or JSON) file: \`--config FILE\`, or the first of ${SEARCH_PLACES.map((p) => code(p)).join(', ')} in the current
folder (\`package.json\` under a \`muster\` key). The whole file is validated before anything runs; \`muster validate\` prints
every problem with its path (\`plugins[2].config.url: …\`) and, for YAML syntax errors, the line and column.

**Editor support.** [\`muster.schema.json\`](muster.schema.json) is the JSON Schema of the whole file, the \`config\` block of
every built-in plugin included; \`muster schema --config FILE\` writes one that also covers the plugins FILE names. Make it
the first line of the file and a YAML editor (VS Code's YAML extension, any client of yaml-language-server) completes keys,
shows these descriptions and flags mistakes as you type:

\`\`\`yaml
# yaml-language-server: $schema=muster.schema.json
\`\`\`

**A starter.** \`muster config [PLUGIN...]\` prints a config with every option of the named plugins at its default,
commented (see [getting started](getting-started.md)).

**Interpolation.** Any string may contain \`\${NAME}\`, \`\${NAME:-fallback}\` or \`\${file:PATH}\` (a file relative to the
config file, trailing newline dropped); \`$\${\` is a literal \`\${\`. Values read from files, and environment values whose
variable or key name suggests a credential, are secrets: redacted from logs, error messages, the reload endpoint's
answer and the status page, in every form (raw, JSON-escaped, quoted, and each line of a multi-line value). A label
value may not hold a secret: labels are published on \`/metrics\`, so \`muster validate\` refuses it, naming its path.
\`\${file:PATH}\` reads a regular file of at most 1 MiB; any file the process may read, unless the environment
variable \`MUSTER_FILE_ROOTS\` lists the folders it may read from (\`:\`-separated, relative to the config file's
folder, symbolic links resolved), e.g. \`MUSTER_FILE_ROOTS=/run/secrets\`.

**Limits.** A config file is refused whole, with \`MUSTER_ERR_CONFIG_LIMIT\` naming the limit, when it is larger than
1 MiB, nests mappings and lists more than 64 deep, holds more than 100,000 values (YAML aliases expanded) or uses
more than 100 YAML aliases (nested expansions counted). An empty or comment-only file is refused
(\`MUSTER_ERR_CONFIG_EMPTY\`): \`plugins: []\` runs no instance on purpose.

**Precedence.** An instance's own key, then \`defaults\`, then the plugin's defaults, then muster's
(schedule ${code(DEFAULTS.schedule)}, timeout ${code(DEFAULTS.timeout)}, jitter ${code(DEFAULTS.jitter)}, onFailure ${code(DEFAULTS.onFailure)}, maxSeries ${code(String(DEFAULTS.maxSeries))}).

## \`server\`

${cell(String(server.description ?? ''))}

${optionsTable(server, 'server.')}

## \`defaults\`

${cell(String(defaults.description ?? ''))}

${optionsTable(defaults, 'defaults.')}

## \`plugins[]\`

${cell(String((props.plugins as JsonSchema).description ?? ''))} Each entry:

${optionsTable(item, '')}

## \`modules\`

${cell(String((props.modules as JsonSchema).description ?? ''))} Each entry, by module name:

${optionsTable((props.modules as JsonSchema).additionalProperties as JsonSchema, '')}

## Plugins

The \`config\` block of an instance is checked by its plugin's schema. Built-in plugins (\`muster plugins\` lists them):

| plugin | what it collects | instance defaults |
| --- | --- | --- |
${plugins}

Any other plugin is an npm package or a \`./path\` ([writing one](plugins.md)); \`muster schema --config FILE\` and
\`muster config ./path\` describe it the same way.
`;
}

function kindText(metric: DocumentedMetric): string {
  switch (metric.kind) {
    case 'stateset':
      return 'state set';
    default:
      return metric.kind;
  }
}

function labelsText(metric: DocumentedMetric): string {
  const parts = metric.labelNames.map((l) => code(l));
  if (metric.kind === 'stateset' && metric.states !== undefined) {
    parts.unshift(`${code(metric.name)} = ${metric.states.map((s) => code(s)).join(', ')}`);
  }
  if (metric.kind === 'histogram') parts.push(code('le'));
  if (metric.kind === 'summary') parts.push(code('quantile'));
  for (const extra of metric.extraLabels) parts.push(`${code(extra.label)} (with ${code(extra.option)})`);
  return parts.length === 0 ? '–' : parts.join(', ');
}

function meaningText(metric: DocumentedMetric): string {
  const notes: string[] = [];
  if (metric.onlyWith.length > 0) notes.push(`Only with ${metric.onlyWith.map((o) => code(o)).join(' or ')}.`);
  if (metric.offWith.length > 0) notes.push(`Not with ${metric.offWith.map((o) => code(o)).join(' or ')}.`);
  return [metric.help, ...notes].join(' ');
}

/** How the plugin serves as a module of /probe, or that it cannot. */
function moduleNote(entry: CatalogEntry): string {
  const support = entry.plugin.target;
  if (support === undefined) return '\nNot usable as a module of `/probe` (it takes no target).\n';
  const keys = targetKeys(support).map((k) => code(k)).join(', ');
  return `\n**As a module** of \`GET /probe?module=M&target=T\` ([many targets](../many-targets.md)): the target, like ${code(support.example)}, fills ${keys}; the module's \`config\` holds the rest. \`muster config --module ${entry.plugin.name}\` prints a starter.\n`;
}

/** docs/plugins/NAME.md: a plugin's options (from its schema) and metrics (from its declarations). */
export function pluginPage(entry: CatalogEntry, metrics: readonly DocumentedMetric[], packageName: string | undefined, readmeSections = ''): string {
  const { plugin } = entry;
  const json = pluginConfigJsonSchema(plugin);
  const example = exampleConfig(plugin, json);
  const rows = metrics
    .map(
      (m) =>
        `| ${code(m.name)} | ${kindText(m)} | ${cell(labelsText(m))} | ${m.accumulate ? 'accumulates across cycles' : 'rebuilt every cycle'} | ${cell(meaningText(m))} |`,
    )
    .join('\n');
  const readme = packageName === undefined ? '' : ` · package ${code(packageName)} · [README](../../plugins/${plugin.name}/README.md) (examples, notes)`;
  const starter = ['plugins:', ...instanceLines(entry, `my-${plugin.name}`)].join('\n');
  return `${GENERATED_NOTE}

# Plugin \`${plugin.name}\`

${plugin.description ?? ''}

\`use: ${entry.use}\`${readme} · instance defaults: ${pluginDefaults(entry)}.
${moduleNote(entry)}
## Options

The instance's \`config\` block. Unknown keys are errors; every error names its path
(\`plugins[0].config.<key>: …\`). Instance keys (\`schedule\`, \`timeout\`, \`labels\`…) are muster's own:
see the [configuration reference](../configuration.md#plugins).

${optionsTable(json, '', example.required)}

## Metrics

Every series also carries \`collector="<instance name>"\` and the instance's \`labels\`. muster adds the same health set
for every instance (\`muster_collector_up\`, \`muster_collector_failure_reason\`…; see [muster's own metrics](../metrics.md)).

| metric | type | labels | across cycles | meaning |
| --- | --- | --- | --- | --- |
${rows}

When a cycle fails, [troubleshooting](../troubleshooting.md) says what each failure reason means and what to check.
${readmeSections === '' ? '' : `\n${readmeSections}\n`}
## Starter

\`muster config ${entry.use}\` prints this entry inside a whole config file, with muster's own keys:

\`\`\`yaml
${starter}
\`\`\`
`;
}

/** One family of muster's own exposition. */
export interface ExposedFamily {
  readonly name: string;
  readonly type: string;
  readonly help: string;
  readonly labels: readonly string[];
}

/** docs/metrics.md: muster's own metrics, read from a real exposition. */
export function selfMetricsPage(families: readonly ExposedFamily[]): string {
  const own = families.filter((f) => f.name.startsWith('muster_'));
  const rows = own
    .map((f) => `| ${code(f.name)} | ${f.type} | ${f.labels.length === 0 ? '–' : f.labels.map((l) => code(l)).join(', ')} | ${cell(f.help)} |`)
    .join('\n');
  return `${GENERATED_NOTE}

# muster's own metrics

Besides each plugin's metrics ([plugins](configuration.md#plugins)), \`/metrics\` always holds muster's own: the same health
set for every instance, labelled \`collector="<instance name>"\`, and build facts. Alert on these
([operations](operations.md#alerts)); a failed cycle's \`muster_collector_failure_reason\` state is explained in
[troubleshooting](troubleshooting.md).

| metric | type (text format) | labels | meaning |
| --- | --- | --- | --- |
${rows}

**Series per instance.** By default (\`selfMetrics: standard\`) an instance costs ${SELF_SERIES_PER_INSTANCE.standard} of these series
(the budget is 12): \`muster_collector_up\`, \`…_last_success_timestamp_seconds\`, \`…_duration_seconds\`,
\`…_consecutive_failures\`, \`…_series\`, \`…_overrun_seconds\`, \`…_info\` and one \`muster_collector_failure_reason\`
series, the current reason at 1 (\`none\` while up). \`selfMetrics: full\` (per instance or in \`defaults\`) exports
${SELF_SERIES_PER_INSTANCE.full}: also every other reason at 0, \`muster_collector_runs_total\` by result,
\`muster_collector_unhandled_errors_total\` and \`muster_collector_stall_seconds_total\`. The status page shows all of it
either way. The families without a \`collector\` label exist once per process.

The process and Node.js runtime metrics come along too, under prom-client's default names, help texts and types
(muster writes them itself; prom-client is not loaded): \`process_*\` (CPU seconds, resident memory, open file
descriptors, start time) and \`nodejs_*\` (event loop lag, heap, active resources, GC durations, version). The event-loop
delay statistics (\`nodejs_eventloop_lag_{min,max,mean,stddev,p50,p90,p99}_seconds\`, each sample the 10 ms resolution plus
the delay, as prom-client reports them) are sampled while a cycle or a scrape is under way, and are 0 when nothing ran
since the last scrape: an idle exporter is not woken a hundred times a second. Which of them appear depends on the
platform and on the moment (a family with no current value is left out), so they are not listed one by one.
Three of prom-client's defaults are not exported: the gauges \`nodejs_active_handles_total\`,
\`nodejs_active_requests_total\` and \`nodejs_active_resources_total\` (muster keeps \`_total\` for counters; sum
\`nodejs_active_handles\`, \`nodejs_active_requests\` or \`nodejs_active_resources\` over \`type\` for the same totals).
`;
}
