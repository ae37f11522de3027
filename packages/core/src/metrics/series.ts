import { CHUNK_LINES, labelPrefixes, renderValueChunks } from './exposition/format.js';
import type { Sample } from './types.js';

/** One series: its label values (in the family's label order) and its value. */
export interface Series {
  readonly labelValues: readonly string[];
  value: number;
  /** The cycle that last wrote it (see {@link SeriesMap.reset}). */
  epoch: number;
}

/** A family's series at one moment. */
export interface SeriesView {
  readonly size: number;
  samples(): Sample[];
  chunks(constLabels: string): Generator<string>;
}

export { CHUNK_LINES };

/**
 * The series of one gauge or counter family, keyed by their label values. Writing is a map
 * lookup; rendering walks the map in chunks. {@link reset} starts a new cycle without dropping
 * the series objects: a series the new cycle writes again is reused (no garbage for the
 * collector to move, cycle after cycle), one it does not write is left out and swept away.
 */
export class SeriesMap {
  readonly #map = new Map<string, Series>();
  readonly #pairs: readonly string[];
  #epoch = 0;
  #live = 0;
  /** The last epoch whose render swept the older series away. */
  #swept = 0;

  constructor(
    readonly sampleName: string,
    readonly labelNames: readonly string[],
  ) {
    this.#pairs = labelPrefixes(labelNames);
  }

  /** Series written in the current cycle. */
  get size(): number {
    return this.#live;
  }

  /** Starts a new cycle: every series is gone until written again. */
  reset(): void {
    // A cycle that failed was never rendered, so nothing swept the label sets it wrote or left:
    // drop them now, or a failing instance with changing labels would grow without bound.
    if (this.#swept !== this.#epoch) {
      for (const [key, s] of this.#map) if (s.epoch !== this.#epoch) this.#map.delete(key);
    }
    this.#epoch++;
    this.#live = 0;
  }

  /** The series for `labelValues` in this cycle, created (or revived) at 0. */
  series(labelValues: readonly string[]): Series {
    const key = labelValues.length === 1 ? (labelValues[0] as string) : labelValues.join('\u0000');
    let s = this.#map.get(key);
    if (s === undefined) {
      s = { labelValues, value: 0, epoch: this.#epoch };
      this.#map.set(key, s);
      this.#live++;
    } else if (s.epoch !== this.#epoch) {
      s.epoch = this.#epoch;
      s.value = 0;
      this.#live++;
    }
    return s;
  }

  /**
   * The series of the current cycle, to render before the next cycle begins (cycles of one
   * instance never overlap, and its commit ends before the next cycle starts).
   */
  view(): SeriesView {
    const epoch = this.#epoch;
    return {
      size: this.#live,
      samples: () => this.#samplesOf(epoch),
      chunks: (constLabels) => this.#chunksOf(epoch, constLabels),
    };
  }

  /** Every series of the current cycle as a sample object. */
  samples(): Sample[] {
    return this.#samplesOf(this.#epoch);
  }

  #samplesOf(epoch: number): Sample[] {
    const out: Sample[] = [];
    for (const s of this.#map.values()) {
      if (s.epoch !== epoch) continue;
      const labels: Record<string, string> = {};
      this.labelNames.forEach((name, i) => {
        labels[name] = s.labelValues[i] as string;
      });
      out.push({ name: this.sampleName, labels, value: s.value });
    }
    return out;
  }

  /** Renders the series in chunks of {@link CHUNK_LINES} lines, each label set led by `constLabels`. */
  chunks(constLabels: string): Generator<string> {
    return this.#chunksOf(this.#epoch, constLabels);
  }

  /** Renders the series of `epoch` (see `exposition/format.ts`). */
  #chunksOf(epoch: number, constLabels: string): Generator<string> {
    return renderValueChunks(this.sampleName, this.#pairs, constLabels, this.#liveSeries(epoch));
  }

  /** The series of `epoch`; sweeps away those older than it (they vanished) on the way. */
  *#liveSeries(epoch: number): Generator<Series> {
    const map = this.#map;
    for (const [key, s] of map) {
      if (s.epoch === epoch) yield s;
      else if (s.epoch < epoch) map.delete(key);
    }
    if (epoch === this.#epoch) this.#swept = epoch;
  }
}
