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

/** One series as the stores hand it to the renderer (a cursor: read it before the next one). */
export interface SeriesCursor {
  readonly labelValues: readonly string[];
}

/**
 * The label set of a series without its closing brace: `{const,a="x",b="y"`, or `{const` /
 * `{a="x"` / `` when parts are missing. `pairs` are the label names already rendered as `name="`.
 */
function openLabels(pairs: readonly string[], constLabels: string, values: readonly string[]): string {
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

/** Renders `name{labels} value` lines in chunks of about {@link CHUNK_LINES} lines. */
export function* renderValueChunks(
  sampleName: string,
  pairs: readonly string[],
  constLabels: string,
  series: Iterable<SeriesCursor & { readonly value: number }>,
): Generator<string> {
  let out = '';
  let lines = 0;
  for (const s of series) {
    const open = openLabels(pairs, constLabels, s.labelValues);
    out += `${sampleName}${open}${open === '' ? ' ' : '} '}${formatValue(s.value)}\n`;
    if (++lines >= CHUNK_LINES) {
      yield out;
      out = '';
      lines = 0;
    }
  }
  if (out !== '') yield out;
}

/**
 * A histogram series: its per-bucket (not cumulative) counts at `counts[offset…]`, one per upper
 * bound and `+Inf` last, and its sum.
 */
export interface HistogramCursor extends SeriesCursor {
  readonly counts: ArrayLike<number>;
  readonly offset: number;
  readonly sum: number;
}

/** Renders histogram series (`_bucket` lines with cumulative counts, `_sum`, `_count`) in chunks. */
export function* renderHistogramChunks(
  name: string,
  pairs: readonly string[],
  constLabels: string,
  upperBounds: readonly number[],
  series: Iterable<HistogramCursor>,
): Generator<string> {
  const les = [...upperBounds.map((b) => `le="${formatValue(b)}"} `), 'le="+Inf"} '];
  const bucket = `${name}_bucket`;
  const sum = `${name}_sum`;
  const count = `${name}_count`;
  let out = '';
  let lines = 0;
  for (const s of series) {
    const open = openLabels(pairs, constLabels, s.labelValues);
    const lead = open === '' ? `${bucket}{` : `${bucket}${open},`;
    let cumulative = 0;
    for (let i = 0; i < les.length; i++) {
      cumulative += s.counts[s.offset + i] as number;
      out += `${lead}${les[i]}${formatValue(cumulative)}\n`;
    }
    const close = open === '' ? ' ' : '} ';
    out += `${sum}${open}${close}${formatValue(s.sum)}\n${count}${open}${close}${formatValue(cumulative)}\n`;
    lines += les.length + 2;
    if (lines >= CHUNK_LINES) {
      yield out;
      out = '';
      lines = 0;
    }
  }
  if (out !== '') yield out;
}

/** What reading one quantile costs, in rendered lines: summaries yield in smaller chunks. */
const QUANTILE_COST_LINES = 10;

/** A summary series: its quantiles' values (in declared order), sum and count. */
export interface SummaryCursor extends SeriesCursor {
  readonly quantileValues: ArrayLike<number>;
  readonly sum: number;
  readonly count: number;
}

/** Renders summary series (`quantile` lines, `_sum`, `_count`) in chunks. */
export function* renderSummaryChunks(
  name: string,
  pairs: readonly string[],
  constLabels: string,
  quantiles: readonly number[],
  series: Iterable<SummaryCursor>,
): Generator<string> {
  const qs = quantiles.map((q) => `quantile="${formatValue(q)}"} `);
  const sum = `${name}_sum`;
  const count = `${name}_count`;
  let out = '';
  let lines = 0;
  for (const s of series) {
    const open = openLabels(pairs, constLabels, s.labelValues);
    const lead = open === '' ? `${name}{` : `${name}${open},`;
    for (let i = 0; i < qs.length; i++) out += `${lead}${qs[i]}${formatValue(s.quantileValues[i] as number)}\n`;
    const close = open === '' ? ' ' : '} ';
    out += `${sum}${open}${close}${formatValue(s.sum)}\n${count}${open}${close}${formatValue(s.count)}\n`;
    // Reading a quantile from a digest costs about as much as rendering ten lines.
    lines += qs.length * QUANTILE_COST_LINES + 2;
    if (lines >= CHUNK_LINES) {
      yield out;
      out = '';
      lines = 0;
    }
  }
  if (out !== '') yield out;
}
