import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { CHUNK_LINES, type ExpositionFormat, renderHeader, renderSamples } from './format.js';
import { type FamilySnapshot, type Sample, sampleCount } from '../types.js';

/**
 * Longest stretch the exporter's own metrics are rendered before letting the event loop run, in
 * milliseconds. Short: while a scrape renders them, responses to the checks in flight wait, and
 * their recorded durations with them (with 1,000 instances they are about 9,000 series).
 */
export const RENDER_SLICE_MS = 2;

/**
 * Counts work between looks at the clock and tells when a slice of `sliceMs` has passed:
 * `if (slicer.due()) await slicer.pause();` after each small step of a loop. The check is
 * synchronous, so a step that is not due costs no await.
 */
export class Slicer {
  #start = performance.now();
  #steps = 0;

  constructor(
    readonly sliceMs = RENDER_SLICE_MS,
    /** Steps between two looks at the clock. */
    readonly every = 64,
  ) {}

  /** Counts a step; true when it is a look at the clock and the slice is used up. */
  due(): boolean {
    return ++this.#steps % this.every === 0 && performance.now() - this.#start >= this.sliceMs;
  }

  /** Lets the event loop run, then starts a new slice. */
  async pause(): Promise<void> {
    await yieldToLoop();
    this.#start = performance.now();
  }
}

/**
 * The sample lines of a family snapshot, {@link CHUNK_LINES} (or the store's own chunk) at a time;
 * a family small enough to render at once (most of an instance's) as one string.
 */
export function familyChunks(family: FamilySnapshot, constLabels: string): Iterable<string> {
  const whole = family.text?.(constLabels);
  if (whole !== undefined) return [whole];
  if (family.chunks !== undefined) return family.chunks(constLabels);
  return sampleChunks(family.samples, constLabels);
}

function* sampleChunks(samples: readonly Sample[], constLabels: string): Generator<string> {
  for (let i = 0; i < samples.length; i += CHUNK_LINES) yield renderSamples(samples.slice(i, i + CHUNK_LINES), constLabels);
}

/**
 * `renderFamilies` (format.ts) in slices: the same text, rendered a chunk of lines at a time, letting
 * the event loop run whenever `slicer`'s slice is used up.
 */
export async function renderFamiliesInSlices(families: readonly FamilySnapshot[], format: ExpositionFormat, slicer = new Slicer(RENDER_SLICE_MS, 1)): Promise<string> {
  const parts: string[] = [];
  for (const family of families) {
    if (sampleCount(family) === 0) continue;
    parts.push(renderHeader(family, format));
    for (const chunk of familyChunks(family, '')) {
      parts.push(chunk);
      if (slicer.due()) await slicer.pause();
    }
  }
  return parts.join('');
}
