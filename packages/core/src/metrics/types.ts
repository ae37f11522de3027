/** The metric kinds muster exposes. */
export type MetricKind = 'gauge' | 'counter' | 'histogram' | 'summary' | 'stateset' | 'info';

/** One sample: a full sample name (`x_bucket`, `x_total`…), its labels and value. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** One family's samples from one instance at one moment. */
export interface FamilySnapshot {
  readonly name: string;
  readonly help: string;
  readonly kind: MetricKind;
  readonly samples: readonly Sample[];
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
