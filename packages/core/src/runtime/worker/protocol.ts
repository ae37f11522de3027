import type { Isolation } from '../../config/schema.js';
import { formatValue, renderLabelPairs } from '../../metrics/exposition/format.js';
import type { FamilyDefinition, MetricKind, Sample } from '../../metrics/types.js';

/** What a worker is started with (its `workerData`): everything its plugin's `create()` needs. */
export interface WorkerInit {
  readonly pluginUrl: string;
  readonly name: string;
  readonly plugin: string;
  readonly config: unknown;
  readonly labels: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly userAgent: string;
  /** Label names the host adds: a plugin may not declare them. */
  readonly reservedLabels: readonly string[];
  readonly isolation: Isolation;
}

/**
 * One family's samples, cheap to pass between threads. Normally as text: sample lines rendered in
 * the worker in chunks, each label set opened by {@link CONST_MARK} where the host puts the
 * instance's constant labels (one string per chunk: the host neither parses nor builds an object
 * per sample). When a label value holds the mark itself, in columns instead: sample `i` is named
 * `names[nameIndex[i]]`, has value `values[i]`, and label `keys[k]` =
 * `labelValues[i * keys.length + k]` (absent when null).
 */
export interface EncodedFamily {
  readonly name: string;
  readonly help: string;
  readonly kind: MetricKind;
  readonly count: number;
  /** Rendered sample lines, a few thousand per chunk, with {@link CONST_MARK} for the constant labels. */
  readonly text?: readonly string[];
  readonly names: readonly string[];
  readonly keys: readonly string[];
  readonly nameIndex: Uint32Array;
  readonly values: Float64Array;
  readonly labelValues: readonly (string | null)[];
}

/** Host → worker. */
export type ToWorker = { readonly type: 'collect'; readonly id: number } | { readonly type: 'close' };

/** Worker → host. */
export type FromWorker =
  | { readonly type: 'ready'; readonly declared: readonly FamilyDefinition[] }
  | { readonly type: 'create-failed'; readonly error: string }
  | {
      readonly type: 'result';
      readonly id: number;
      readonly declared: readonly FamilyDefinition[];
      readonly families: readonly EncodedFamily[];
      /** The first invalid write of the cycle, when there was one. */
      readonly invalid?: string;
      /** How collect() failed, when it did. */
      readonly error?: { readonly message: string; readonly reason: string };
      /** The backend verdict collect() returned, when it did. */
      readonly verdict?: { readonly healthy: boolean; readonly reason?: string };
    }
  | { readonly type: 'log'; readonly level: 'debug' | 'info' | 'warn' | 'error'; readonly fields: Record<string, unknown>; readonly message: string }
  | { readonly type: 'unhandled'; readonly source: 'rejection' | 'exception'; readonly error: string }
  | { readonly type: 'closed' };

/** Stands for the constant labels in rendered text: a control character never valid as a label name. */
export const CONST_MARK = '\u0001';

/** Renders a family's samples as marked text chunks, or undefined when a label value holds the mark. */
function renderMarked(samples: readonly Sample[], chunkLines: number): string[] | undefined {
  const chunks: string[] = [];
  let out = '';
  let lines = 0;
  for (const sample of samples) {
    const own = renderLabelPairs(sample.labels);
    if (own.includes(CONST_MARK)) return undefined;
    out += `${sample.name}{${CONST_MARK}${own === '' ? '' : `,${own}`}} ${formatValue(sample.value)}\n`;
    if (++lines === chunkLines) {
      chunks.push(out);
      out = '';
      lines = 0;
    }
  }
  if (out !== '') chunks.push(out);
  return chunks;
}

/** Puts `constLabels` where a marked chunk says. */
export function fillMarked(chunk: string, constLabels: string): string {
  return constLabels === '' ? chunk.replaceAll(`{${CONST_MARK},`, '{').replaceAll(`{${CONST_MARK}}`, '') : chunk.replaceAll(CONST_MARK, constLabels);
}

/** Occurrences of `needle` (one character) in `text`. */
function occurrences(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) n++;
  return n;
}

/** Chunks rendered by the family itself, when each line holds exactly one mark (no label value holds it). */
function checkedChunks(chunks: Iterable<string>): string[] | undefined {
  const out: string[] = [];
  for (const chunk of chunks) {
    if (occurrences(chunk, CONST_MARK) !== occurrences(chunk, '\n')) return undefined;
    out.push(chunk);
  }
  return out;
}

/**
 * Encodes a family: as marked text when it can (rendered by the family's own chunk renderer when
 * it has one, else from its samples), else in columns.
 */
export function encodeFamily(
  family: { readonly name: string; readonly help: string; readonly kind: MetricKind; readonly count?: number; readonly samples: readonly Sample[]; chunks?(constLabels: string): Iterable<string> },
  chunkLines: number,
): EncodedFamily {
  const { name, help, kind } = family;
  const rendered = family.chunks === undefined ? undefined : checkedChunks(family.chunks(CONST_MARK));
  if (rendered !== undefined && family.count !== undefined) {
    return { name, help, kind, count: family.count, text: rendered, names: [], keys: [], nameIndex: new Uint32Array(0), values: new Float64Array(0), labelValues: [] };
  }
  const samples = family.samples;
  const text = renderMarked(samples, chunkLines);
  if (text !== undefined) {
    return { name, help, kind, count: samples.length, text, names: [], keys: [], nameIndex: new Uint32Array(0), values: new Float64Array(0), labelValues: [] };
  }
  return encodeColumns(name, help, kind, samples);
}

/** Turns a family's samples into columns. */
function encodeColumns(name: string, help: string, kind: MetricKind, samples: readonly Sample[]): EncodedFamily {
  const names: string[] = [];
  const nameAt = new Map<string, number>();
  const keys: string[] = [];
  const keyAt = new Map<string, number>();
  for (const s of samples) {
    for (const k in s.labels) {
      if (!keyAt.has(k)) {
        keyAt.set(k, keys.length);
        keys.push(k);
      }
    }
  }
  const nameIndex = new Uint32Array(samples.length);
  const values = new Float64Array(samples.length);
  const labelValues: (string | null)[] = new Array(samples.length * keys.length).fill(null);
  samples.forEach((s, i) => {
    let n = nameAt.get(s.name);
    if (n === undefined) {
      n = names.length;
      nameAt.set(s.name, n);
      names.push(s.name);
    }
    nameIndex[i] = n;
    values[i] = s.value;
    for (const k in s.labels) labelValues[i * keys.length + (keyAt.get(k) as number)] = s.labels[k] as string;
  });
  return { name, help, kind, count: samples.length, names, keys, nameIndex, values, labelValues };
}

/** The samples `from` up to `to` of a family encoded in columns, as objects. */
export function decodeSamples(family: EncodedFamily, from = 0, to = family.values.length): Sample[] {
  const { names, keys, nameIndex, values, labelValues } = family;
  const out: Sample[] = new Array(Math.max(0, to - from));
  for (let i = from; i < to; i++) {
    const labels: Record<string, string> = {};
    for (let k = 0; k < keys.length; k++) {
      const v = labelValues[i * keys.length + k];
      if (v !== null && v !== undefined) labels[keys[k] as string] = v;
    }
    out[i - from] = { name: names[nameIndex[i] as number] as string, labels, value: values[i] as number };
  }
  return out;
}

const LOG_LEVELS = new Set(['debug', 'info', 'warn', 'error']);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Why `message` is not a {@link FromWorker} (the plugin shares the worker's port and can post
 * anything), or undefined when it is of the protocol. Checks the shape the host relies on; the
 * content of samples and definitions is checked where it is used.
 */
export function invalidMessage(message: unknown): string | undefined {
  if (!isRecord(message)) return `not an object (${message === null ? 'null' : typeof message})`;
  const type = message.type;
  switch (type) {
    case 'ready':
      return Array.isArray(message.declared) ? undefined : 'ready without declared families';
    case 'create-failed':
      return typeof message.error === 'string' ? undefined : 'create-failed without an error text';
    case 'result':
      if (typeof message.id !== 'number' || !Array.isArray(message.declared) || !Array.isArray(message.families)) return 'a result of the wrong shape';
      if (message.invalid !== undefined && typeof message.invalid !== 'string') return 'a result whose invalid write is not text';
      if (message.error !== undefined && !(isRecord(message.error) && typeof message.error.message === 'string' && typeof message.error.reason === 'string')) {
        return 'a result whose error is of the wrong shape';
      }
      return undefined;
    case 'log':
      if (typeof message.level !== 'string' || !LOG_LEVELS.has(message.level)) return 'a log line of an unknown level';
      return isRecord(message.fields) && typeof message.message === 'string' ? undefined : 'a log line of the wrong shape';
    case 'unhandled':
      return (message.source === 'rejection' || message.source === 'exception') && typeof message.error === 'string' ? undefined : 'an unhandled error of the wrong shape';
    case 'closed':
      return undefined;
    default:
      return `an unknown message type (${String(typeof type === 'string' ? type.slice(0, 40) : typeof type)})`;
  }
}
