/** The metric kinds muster exposes. */
export type MetricKind = 'gauge' | 'counter' | 'histogram' | 'summary' | 'stateset' | 'info';

/** One sample: a full sample name (`x_bucket`, `x_total`…), its labels and value. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/**
 * One family's series from one instance at one moment. Large families are rendered in chunks
 * (`chunks`), so that committing 100k series never holds the event loop for long; `samples`
 * materialises every sample as an object, for tests and small families.
 */
export interface FamilySnapshot {
  readonly name: string;
  readonly help: string;
  readonly kind: MetricKind;
  /** Number of samples (series) in the family. */
  readonly count?: number;
  readonly samples: readonly Sample[];
  /** Renders the sample lines, a few hundred per chunk, each led by `constLabels`. */
  chunks?(constLabels: string): Iterable<string>;
  /**
   * Renders every sample line in one string, each led by `constLabels`, when the family is
   * small enough to render at once; `undefined` when it is not (then use `chunks`).
   */
  text?(constLabels: string): string | undefined;
}

/** A declared family: what every instance writing it must agree on. */
export interface FamilyDefinition {
  readonly name: string;
  readonly help: string;
  readonly kind: MetricKind;
  /** The plugin's own label names (without `collector` and instance labels). */
  readonly labelNames: readonly string[];
  /** The plugin that declared it first (`muster` for the exporter's own). */
  readonly owner: string;
}

/** Sample count of a family snapshot. */
export function sampleCount(family: FamilySnapshot): number {
  return family.count ?? family.samples.length;
}
