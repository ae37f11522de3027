/** One parsed sample line. */
export interface ParsedSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  /** The sample's timestamp, when the line carries one. */
  readonly timestamp?: number;
}

/** One parsed family: its metadata and samples. */
export interface ParsedFamily {
  readonly name: string;
  readonly help: string | undefined;
  readonly type: string | undefined;
  readonly samples: ParsedSample[];
}

/** What {@link parseExposition} returns. */
export interface ParsedExposition {
  readonly families: ParsedFamily[];
  /** Every sample in order. */
  readonly samples: ParsedSample[];
  /** Problems found: duplicate HELP/TYPE, samples outside their family, malformed lines. */
  readonly problems: string[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\S+)?$/;

function unescapeText(value: string): string {
  return value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

function parseLabels(text: string, problems: string[], line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    if (eq === -1) break;
    const key = text.slice(i, eq).trim().replace(/^,/, '').trim();
    if (text[eq + 1] !== '"') {
      problems.push(`unquoted label value in: ${line}`);
      break;
    }
    let j = eq + 2;
    let raw = '';
    while (j < text.length && text[j] !== '"') {
      if (text[j] === '\\') {
        raw += text.slice(j, j + 2);
        j += 2;
      } else raw += text[j++];
    }
    if (key in labels) problems.push(`label "${key}" repeated in: ${line}`);
    labels[key] = unescapeText(raw);
    i = j + 1;
    while (text[i] === ',' || text[i] === ' ') i++;
  }
  return labels;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a sample value; `undefined` when it is not one Prometheus accepts. */
function parseValue(text: string): number | undefined {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  return NUMBER.test(text) ? Number(text) : undefined;
}

const SUFFIXES = ['_bucket', '_count', '_sum', '_total', '_info', '_created'];

/**
 * Parses a Prometheus text (0.0.4) or OpenMetrics exposition into families and samples, and
 * reports what a strict reader would object to.
 */
export function parseExposition(text: string): ParsedExposition {
  const families: ParsedFamily[] = [];
  const byName = new Map<string, ParsedFamily>();
  const samples: ParsedSample[] = [];
  const problems: string[] = [];
  const headerSeen = new Set<string>();
  let current: ParsedFamily | undefined;

  const family = (name: string): ParsedFamily => {
    let f = byName.get(name);
    if (f === undefined) {
      f = { name, help: undefined, type: undefined, samples: [] };
      byName.set(name, f);
      families.push(f);
    } else if (current !== f && f.samples.length > 0) {
      problems.push(`family "${name}" appears in two places`);
    }
    return f;
  };

  for (const line of text.split('\n')) {
    if (line === '' || line === '# EOF') continue;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE|UNIT) (\S+) ?(.*)$/.exec(line);
      if (m === null) continue;
      const [, kind, name, rest] = m as unknown as [string, string, string, string];
      const key = `${kind} ${name}`;
      if (headerSeen.has(key)) problems.push(`duplicate # ${key}`);
      headerSeen.add(key);
      const f = family(name);
      current = f;
      if (kind === 'HELP') (f as { help: string | undefined }).help = unescapeText(rest);
      if (kind === 'TYPE') (f as { type: string | undefined }).type = rest;
      continue;
    }
    const m = SAMPLE.exec(line);
    if (m === null) {
      problems.push(`malformed line: ${line}`);
      continue;
    }
    const name = m[1] as string;
    const value = parseValue(m[4] as string);
    if (value === undefined) problems.push(`bad sample value "${m[4]}" in: ${line}`);
    const sample: ParsedSample = {
      name,
      labels: m[3] === undefined ? {} : parseLabels(m[3], problems, line),
      value: value ?? Number.NaN,
      ...(m[5] === undefined ? {} : { timestamp: Number(m[5].trim()) }),
    };
    samples.push(sample);
    let owner = current;
    if (owner === undefined || (name !== owner.name && !SUFFIXES.some((s) => name === owner?.name + s))) {
      owner = family(SUFFIXES.reduce((n, s) => (n.endsWith(s) && byName.has(n.slice(0, -s.length)) ? n.slice(0, -s.length) : n), name));
      current = owner;
    }
    owner.samples.push(sample);
  }
  return { families, samples, problems };
}

/** The samples named `name` whose labels include every pair of `labels`. */
export function findSamples(
  exposition: ParsedExposition | readonly ParsedSample[],
  name: string,
  labels: Readonly<Record<string, string>> = {},
): ParsedSample[] {
  const list = Array.isArray(exposition) ? exposition : (exposition as ParsedExposition).samples;
  return list.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** The value of the one sample matching `name` and `labels`; throws when there is not exactly one. */
export function sampleValue(
  exposition: ParsedExposition | readonly ParsedSample[],
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number {
  const found = findSamples(exposition, name, labels);
  if (found.length !== 1) {
    throw new Error(`expected one sample ${name}${JSON.stringify(labels)}, found ${found.length}`);
  }
  return (found[0] as ParsedSample).value;
}
