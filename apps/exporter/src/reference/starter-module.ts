import { targetKeys } from '@muster/sdk';
import type { CatalogEntry } from './catalog.js';
import { exampleConfig } from './example-config.js';
import { type JsonSchema, pluginConfigJsonSchema } from './json-schema.js';
import { comment, emitObject, yamlValue } from './starter.js';

/** The plugin's config schema without the keys a probe's target fills. */
function withoutTarget(json: JsonSchema, keys: readonly string[]): JsonSchema {
  const properties = Object.fromEntries(Object.entries((json.properties ?? {}) as Record<string, JsonSchema>).filter(([k]) => !keys.includes(k)));
  return { ...json, properties };
}

/** One `modules:` entry for a plugin that takes targets, as lines at two spaces. */
export function moduleLines(entry: CatalogEntry): string[] {
  const { plugin } = entry;
  const support = plugin.target;
  if (support === undefined) throw new Error(`plugin "${plugin.name}" takes no target, so it cannot be a module`);
  const keys = targetKeys(support);
  const json = withoutTarget(pluginConfigJsonSchema(plugin), keys);
  const example = exampleConfig(plugin, pluginConfigJsonSchema(plugin));
  const given = Object.fromEntries(Object.entries(example.value).filter(([k]) => !keys.includes(k)));
  const required = new Map([...example.required].filter(([path]) => !keys.includes(path.split('.')[0] ?? '')));
  const lines = [
    ...comment(`${plugin.name}: each probe's target (like ${support.example}) fills ${keys.map((k) => `"${k}"`).join(', ')}; the rest comes from here.`, '  '),
    `  ${yamlValue(plugin.name)}:`,
    `    use: ${yamlValue(entry.use)}`,
    ...comment("Deadline of one probe; the scrape's X-Prometheus-Scrape-Timeout-Seconds, less a margin, shortens it.", '    '),
    `    timeout: ${yamlValue(plugin.defaults?.timeout ?? '10s')}`,
    '    # labels: { team: web }',
    ...comment('Regular expressions a target must match whole; set them so the exporter cannot be used to reach other addresses.', '    '),
    `    # allowedTargets: ['${support.example.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}']`,
    '    # maxTargets: 1000      # targets whose pool or client is kept between probes',
    '    # idleTimeout: 5m       # a target not probed this long is released',
  ];
  const config = emitObject(json, given, '      ', required, '');
  if (config.some((l) => !l.trimStart().startsWith('#'))) lines.push('    config:', ...config);
  else lines.push('    config: {}', ...config);
  return lines;
}

/**
 * A starter `modules:` config for `muster config --module PLUGIN`: one module per plugin, every
 * option at its default, and the Prometheus scrape config that probes through it.
 */
export function starterModules(entries: readonly CatalogEntry[]): string {
  const first = entries[0]?.plugin.name ?? 'MODULE';
  const lines = [
    ...comment('Modules for GET /probe?module=NAME&target=TARGET (written by `muster config --module`): Prometheus\' service discovery holds the targets, muster how to check them. See docs/many-targets.md.', ''),
    '#',
    '# In prometheus.yml:',
    `#   - job_name: muster-${first}`,
    '#     metrics_path: /probe',
    `#     params: { module: [${first}] }`,
    '#     file_sd_configs: [{ files: [targets/*.json] }]',
    '#     relabel_configs:',
    '#       - { source_labels: [__address__], target_label: __param_target }',
    '#       - { source_labels: [__param_target], target_label: instance }',
    '#       - { target_label: __address__, replacement: "muster:9777" }',
    '',
    'modules:',
  ];
  for (const [n, entry] of entries.entries()) {
    if (n > 0) lines.push('');
    lines.push(...moduleLines(entry));
  }
  return `${lines.join('\n')}\n`;
}
