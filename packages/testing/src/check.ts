import { type ParsedFamily, parseExposition } from './parse.js';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Sample-name suffixes each metric type may add to its family name. */
const SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  counter: ['', '_total', '_created'],
  gauge: [''],
  histogram: ['_bucket', '_sum', '_count', '_created'],
  summary: ['', '_sum', '_count', '_created'],
  stateset: [''],
  info: ['_info'],
  unknown: [''],
  untyped: [''],
};

/** Labels a type adds to some of its samples, left out when comparing label sets. */
const SAMPLE_LABELS: Readonly<Record<string, readonly string[]>> = { histogram: ['le'], summary: ['quantile'] };

function checkFamily(family: ParsedFamily, problems: string[]): void {
  if (!METRIC_NAME.test(family.name)) problems.push(`invalid metric name "${family.name}"`);
  if (family.type === undefined) problems.push(`family "${family.name}" has no # TYPE`);
  if (family.help === undefined) problems.push(`family "${family.name}" has no # HELP`);
  const type = family.type ?? 'untyped';
  const suffixes = SUFFIXES[type] ?? [''];
  const skip = new Set(SAMPLE_LABELS[type] ?? []);
  if (type === 'stateset') skip.add(family.name);
  // One label set per collector (instance): series of one instance must agree on their labels.
  const shapes = new Map<string, string>();
  for (const sample of family.samples) {
    if (!suffixes.some((s) => sample.name === family.name + s)) {
      problems.push(`sample "${sample.name}" does not belong to ${type} "${family.name}"`);
    }
    for (const label of Object.keys(sample.labels)) {
      if (!LABEL_NAME.test(label)) problems.push(`invalid label name "${label}" on "${sample.name}"`);
    }
    if (type === 'counter' && sample.name.endsWith('_total') && sample.value < 0) problems.push(`counter "${sample.name}" is negative`);
    // muster never stamps samples: Prometheus stamps them at scrape time.
    if (sample.timestamp !== undefined) problems.push(`sample "${sample.name}" carries a timestamp`);
    const shape = Object.keys(sample.labels).filter((l) => !skip.has(l)).sort().join(',');
    const owner = sample.labels.collector ?? '';
    const seen = shapes.get(owner);
    if (seen === undefined) shapes.set(owner, shape);
    else if (seen !== shape) {
      problems.push(`family "${family.name}"${owner === '' ? '' : ` (collector "${owner}")`} mixes label sets [${seen}] and [${shape}]`);
    }
  }
}

/**
 * Checks an exposition the way muster's exporter promises it: valid metric and label names, one
 * HELP and TYPE per family, samples that belong to their family's type, one label set per family
 * and instance, and no timestamps. Returns the problems found (empty when valid).
 */
export function checkExposition(text: string): string[] {
  const parsed = parseExposition(text);
  const problems = [...parsed.problems];
  for (const family of parsed.families) checkFamily(family, problems);
  return problems;
}

/** Throws an `Error` listing every problem when {@link checkExposition} finds any. */
export function assertValidExposition(text: string): void {
  const problems = checkExposition(text);
  if (problems.length > 0) throw new Error(`invalid exposition:\n  ${problems.join('\n  ')}`);
}
