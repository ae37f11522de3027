import { SharedByContent } from '../shared-lists.js';
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

/**
 * Lines rendered per chunk: small enough that one chunk takes well under a millisecond, and that
 * its text (about 30 KB) stays in V8's young generation. With 2,000 lines, chunks of 100+ KB
 * went to old space and a 100,000-label-set histogram commit cost several full collections.
 */
export const CHUNK_LINES = 500;

/**
 * The label set of a series without its closing brace: `{const,a="x",b="y"`, or `{const` /
 * `{a="x"` / `` when parts are missing. `pairs` are the label names already rendered as `name="`.
 */
export function openLabels(pairs: readonly string[], constLabels: string, values: readonly string[]): string {
  let out = constLabels === '' ? '' : `{${constLabels}`;
  for (let i = 0; i < pairs.length; i++) {
    out += out === '' ? '{' : ',';
    out += `${pairs[i]}${escapeLabelValue(values[i] as string)}"`;
  }
  return out;
}

/** `name="` for each label name: the part of every pair that never changes. */
export function labelPrefixes(labelNames: readonly string[]): string[] {
  return labelNames.map((name) => `${name}="`);
}

/** The `name{labels} value` line of one series; `open` is its label set from {@link openLabels}. */
export function valueLine(sampleName: string, open: string, value: number): string {
  return `${sampleName}${open}${open === '' ? ' ' : '} '}${formatValue(value)}\n`;
}

/** Distinct (name, bounds) pairs whose {@link HistogramNames} are kept to be shared. */
const sharedHistogramNames = new SharedByContent<HistogramNames>(256);

/**
 * What a histogram family renders with: its sample names and `le` labels, made once and shared
 * by every histogram of that name and those bounds ({@link HistogramNames.of}): a thousand
 * instances of one plugin need one set, where each made its own (about 800 bytes).
 */
export class HistogramNames {
  /** The names of a histogram `name` with `upperBounds`, shared with the histograms declared the same. */
  static of(name: string, upperBounds: readonly number[]): HistogramNames {
    // Bounds that print the same observe the same (-0 and 0 are the one bound that prints as another).
    const key = `${name} ${upperBounds.map(formatValue).join(' ')}`;
    return sharedHistogramNames.get(key, () => new HistogramNames(name, upperBounds));
  }

  readonly bucket: string;
  readonly sum: string;
  readonly count: string;
  /** `le="…"} ` for each upper bound, `+Inf` last. */
  readonly les: readonly string[];
  /** The upper bounds (without `+Inf`), a copy of those it was made with. */
  readonly bounds: readonly number[];

  constructor(name: string, upperBounds: readonly number[]) {
    this.bucket = `${name}_bucket`;
    this.sum = `${name}_sum`;
    this.count = `${name}_count`;
    this.bounds = Object.freeze([...upperBounds]);
    this.les = Object.freeze([...upperBounds.map((b) => `le="${formatValue(b)}"} `), 'le="+Inf"} ']);
  }
}

/**
 * The lines of one histogram series (`_bucket` lines with cumulative counts, `_sum`, `_count`):
 * its per-bucket (not cumulative) counts are `counts[offset…]`, one per upper bound and `+Inf` last.
 */
export function histogramLines(names: HistogramNames, open: string, counts: ArrayLike<number>, offset: number, sum: number): string {
  const lead = open === '' ? `${names.bucket}{` : `${names.bucket}${open},`;
  const les = names.les;
  let out = '';
  let cumulative = 0;
  for (let i = 0; i < les.length; i++) {
    cumulative += counts[offset + i] as number;
    out += `${lead}${les[i]}${formatValue(cumulative)}\n`;
  }
  const close = open === '' ? ' ' : '} ';
  return `${out}${names.sum}${open}${close}${formatValue(sum)}\n${names.count}${open}${close}${formatValue(cumulative)}\n`;
}

/** What a summary family renders with: its sample names and `quantile` labels, made once. */
export class SummaryNames {
  readonly sum: string;
  readonly count: string;
  /** `quantile="…"} ` for each quantile. */
  readonly qs: readonly string[];

  constructor(
    readonly name: string,
    quantiles: readonly number[],
  ) {
    this.sum = `${name}_sum`;
    this.count = `${name}_count`;
    this.qs = quantiles.map((q) => `quantile="${formatValue(q)}"} `);
  }
}

/** The lines of one summary series (`quantile` lines, `_sum`, `_count`). */
export function summaryLines(names: SummaryNames, open: string, quantileValues: ArrayLike<number>, sum: number, count: number): string {
  const lead = open === '' ? `${names.name}{` : `${names.name}${open},`;
  const qs = names.qs;
  let out = '';
  for (let i = 0; i < qs.length; i++) out += `${lead}${qs[i]}${formatValue(quantileValues[i] as number)}\n`;
  const close = open === '' ? ' ' : '} ';
  return `${out}${names.sum}${open}${close}${formatValue(sum)}\n${names.count}${open}${close}${formatValue(count)}\n`;
}
