import type { FamilySnapshot, MetricKind, Sample } from '../types.js';

/** The two exposition formats muster speaks. */
export type ExpositionFormat = 'text' | 'openmetrics';

/** Content types, as sent in `Content-Type`. */
export const CONTENT_TYPES: Readonly<Record<ExpositionFormat, string>> = {
  text: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

/** Escapes a label value: backslash, double quote and newline. */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\\' ? '\\\\' : c === '"' ? '\\"' : '\\n'));
}

/** Escapes HELP text: backslash and newline (and double quote in OpenMetrics). */
export function escapeHelp(help: string, format: ExpositionFormat): string {
  const pattern = format === 'openmetrics' ? /[\\"\n]/g : /[\\\n]/g;
  return help.replace(pattern, (c) => (c === '\\' ? '\\\\' : c === '"' ? '\\"' : '\\n'));
}

/** Formats a sample value the way Prometheus parses it. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/** Renders `name="value",…` for a label record (no braces). */
export function renderLabelPairs(labels: Readonly<Record<string, string>>): string {
  let out = '';
  for (const key in labels) {
    const value = labels[key];
    if (value === undefined) continue;
    if (out !== '') out += ',';
    out += `${key}="${escapeLabelValue(value)}"`;
  }
  return out;
}

function familyName(name: string, kind: MetricKind, format: ExpositionFormat): string {
  if (format === 'openmetrics') {
    if (kind === 'counter' && name.endsWith('_total')) return name.slice(0, -6);
    if (kind === 'info' && name.endsWith('_info')) return name.slice(0, -5);
  }
  return name;
}

function typeName(kind: MetricKind, format: ExpositionFormat): string {
  if (format === 'text' && (kind === 'stateset' || kind === 'info')) return 'gauge';
  return kind;
}

/** The `# HELP` and `# TYPE` lines of a family. */
export function renderHeader(
  family: { readonly name: string; readonly help: string; readonly kind: MetricKind },
  format: ExpositionFormat,
): string {
  const name = familyName(family.name, family.kind, format);
  return `# HELP ${name} ${escapeHelp(family.help, format)}\n# TYPE ${name} ${typeName(family.kind, format)}\n`;
}

/** Renders the sample lines of one family; `constLabels` (already rendered pairs) lead each label set. */
export function renderSamples(samples: readonly Sample[], constLabels: string): string {
  let out = '';
  for (const sample of samples) {
    const own = renderLabelPairs(sample.labels);
    const pairs = constLabels === '' ? own : own === '' ? constLabels : `${constLabels},${own}`;
    out += pairs === '' ? sample.name : `${sample.name}{${pairs}}`;
    out += ` ${formatValue(sample.value)}\n`;
  }
  return out;
}

/** Renders whole families (header and samples) in order. */
export function renderFamilies(families: readonly FamilySnapshot[], format: ExpositionFormat, constLabels = ''): string {
  let out = '';
  for (const family of families) {
    if (family.samples.length === 0) continue;
    out += renderHeader(family, format) + renderSamples(family.samples, constLabels);
  }
  return out;
}
