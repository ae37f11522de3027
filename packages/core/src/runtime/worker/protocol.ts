import type { Isolation } from '../../config/schema.js';
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
 * One family's samples in columns, cheap to pass between threads (a few arrays instead of one
 * object per sample): sample `i` is named `names[nameIndex[i]]`, has value `values[i]`, and label
 * `keys[k]` = `labelValues[i * keys.length + k]` (absent when null).
 */
export interface EncodedFamily {
  readonly name: string;
  readonly help: string;
  readonly kind: MetricKind;
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
    }
  | { readonly type: 'log'; readonly level: 'debug' | 'info' | 'warn' | 'error'; readonly fields: Record<string, unknown>; readonly message: string }
  | { readonly type: 'unhandled'; readonly source: 'rejection' | 'exception'; readonly error: string }
  | { readonly type: 'closed' };

/** Turns a family's samples into columns. */
export function encodeFamily(name: string, help: string, kind: MetricKind, samples: readonly Sample[]): EncodedFamily {
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
  return { name, help, kind, names, keys, nameIndex, values, labelValues };
}

/** The samples of an encoded family, as objects. */
export function decodeSamples(family: EncodedFamily): Sample[] {
  const { names, keys, nameIndex, values, labelValues } = family;
  const out: Sample[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const labels: Record<string, string> = {};
    for (let k = 0; k < keys.length; k++) {
      const v = labelValues[i * keys.length + k];
      if (v !== null && v !== undefined) labels[keys[k] as string] = v;
    }
    out[i] = { name: names[nameIndex[i] as number] as string, labels, value: values[i] as number };
  }
  return out;
}
