import { type ExpositionFormat, renderHeader, renderLabelPairs, renderSamples } from './render.js';
import type { FamilySnapshot, MetricKind } from './types.js';

/** The suffix added to HELP of families served from a scheduled (cached) cycle. */
export const CACHED_HELP_SUFFIX = ' (cached: from the last completed collection cycle)';

interface Chunk {
  readonly samples: string;
  readonly count: number;
}

interface FamilySlot {
  readonly name: string;
  help: string;
  kind: MetricKind;
  /** Instance name → its rendered samples; insertion order is commit order. */
  readonly chunks: Map<string, Chunk>;
  /** Instances contributing from a scheduled (cached) cycle. */
  readonly cached: Set<string>;
}

/** What {@link MetricStore.commit} needs to know about the instance. */
export interface CommitOptions {
  /** Labels every series of the instance carries (`collector` first). */
  readonly constLabels: Readonly<Record<string, string>>;
  /** True when the values come from a scheduled cycle rather than this scrape. */
  readonly cached: boolean;
}

/**
 * Every instance's last committed cycle, rendered. A commit replaces all of an instance's
 * series at once (so vanished series vanish and a scrape never sees half a cycle); families are
 * grouped across instances so each has one HELP/TYPE. The body is rendered at most once per
 * commit and format, then served as is.
 */
export class MetricStore {
  readonly #families = new Map<string, FamilySlot>();
  readonly #byInstance = new Map<string, Set<string>>();
  readonly #seriesCount = new Map<string, number>();
  #bodies: Partial<Record<ExpositionFormat, string>> = {};
  #generation = 0;

  /** Increases on every change; lets callers cache what they derive from the body. */
  get generation(): number {
    return this.#generation;
  }

  /** Replaces `instance`'s series with `families`, atomically. */
  commit(instance: string, families: readonly FamilySnapshot[], options: CommitOptions): void {
    const constLabels = renderLabelPairs(options.constLabels);
    const rendered: [FamilySnapshot, Chunk][] = [];
    let total = 0;
    for (const family of families) {
      if (family.samples.length === 0) continue;
      rendered.push([family, { samples: renderSamples(family.samples, constLabels), count: family.samples.length }]);
      total += family.samples.length;
    }
    // Everything is rendered before the first mutation: the swap below cannot fail halfway.
    this.#remove(instance);
    const names = new Set<string>();
    for (const [family, chunk] of rendered) {
      let slot = this.#families.get(family.name);
      if (slot === undefined) {
        slot = { name: family.name, help: family.help, kind: family.kind, chunks: new Map(), cached: new Set() };
        this.#families.set(family.name, slot);
      }
      slot.help = family.help;
      slot.kind = family.kind;
      slot.chunks.set(instance, chunk);
      if (options.cached) slot.cached.add(instance);
      names.add(family.name);
    }
    this.#byInstance.set(instance, names);
    this.#seriesCount.set(instance, total);
    this.#changed();
  }

  /** Removes every series of `instance`. */
  drop(instance: string): void {
    if (this.#remove(instance)) this.#changed();
  }

  /** Series committed for `instance` (0 when none). */
  seriesCount(instance: string): number {
    return this.#seriesCount.get(instance) ?? 0;
  }

  /** True when `instance` has committed series. */
  has(instance: string): boolean {
    return this.#byInstance.has(instance);
  }

  /** The exposition of every committed family, without a trailing `# EOF`. */
  body(format: ExpositionFormat, onlyInstance?: string): string {
    if (onlyInstance === undefined) {
      const cached = this.#bodies[format];
      if (cached !== undefined) return cached;
    }
    const parts: string[] = [];
    for (const slot of this.#families.values()) {
      let samples = '';
      if (onlyInstance === undefined) {
        for (const chunk of slot.chunks.values()) samples += chunk.samples;
      } else {
        samples = slot.chunks.get(onlyInstance)?.samples ?? '';
      }
      if (samples === '') continue;
      const cached = onlyInstance === undefined ? slot.cached.size > 0 : slot.cached.has(onlyInstance);
      const help = cached ? slot.help + CACHED_HELP_SUFFIX : slot.help;
      parts.push(renderHeader({ name: slot.name, help, kind: slot.kind }, format), samples);
    }
    const body = parts.join('');
    if (onlyInstance === undefined) this.#bodies[format] = body;
    return body;
  }

  #remove(instance: string): boolean {
    const names = this.#byInstance.get(instance);
    if (names === undefined) return false;
    for (const name of names) {
      const slot = this.#families.get(name);
      if (slot === undefined) continue;
      slot.chunks.delete(instance);
      slot.cached.delete(instance);
      if (slot.chunks.size === 0) this.#families.delete(name);
    }
    this.#byInstance.delete(instance);
    this.#seriesCount.delete(instance);
    return true;
  }

  #changed(): void {
    this.#bodies = {};
    this.#generation++;
  }
}
