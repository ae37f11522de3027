import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { CHUNK_LINES, type ExpositionFormat, renderHeader, renderSamples } from './format.js';
import type { FamilySnapshot } from '../types.js';

/**
 * Longest stretch the exporter's own metrics are rendered before letting the event loop run, in
 * milliseconds. Short: while a scrape renders them, responses to the checks in flight wait, and
 * their recorded durations with them (with 1,000 instances they are about 9,000 series).
 */
export const RENDER_SLICE_MS = 2;

/**
 * Counts work between looks at the clock and yields to the event loop once a slice of `sliceMs`
 * has passed: `await slicer.tick()` in a loop of small steps.
 */
export class Slicer {
  #start = performance.now();
  #steps = 0;

  constructor(
    readonly sliceMs = RENDER_SLICE_MS,
    /** Steps between two looks at the clock. */
    readonly every = 64,
  ) {}

  /** Resolves at once, or after letting the event loop run when the slice is used up. */
  async tick(): Promise<void> {
    if (++this.#steps % this.every !== 0 || performance.now() - this.#start < this.sliceMs) return;
    await yieldToLoop();
    this.#start = performance.now();
  }
}

/**
 * `renderFamilies` (format.ts) in slices: the same text, rendered a chunk of lines at a time, letting
 * the event loop run whenever `slicer`'s slice is used up.
 */
export async function renderFamiliesInSlices(families: readonly FamilySnapshot[], format: ExpositionFormat, slicer = new Slicer(RENDER_SLICE_MS, 1)): Promise<string> {
  const parts: string[] = [];
  for (const family of families) {
    if ((family.count ?? family.samples.length) === 0) continue;
    parts.push(renderHeader(family, format));
    if (family.chunks !== undefined) {
      for (const chunk of family.chunks('')) {
        parts.push(chunk);
        await slicer.tick();
      }
    } else {
      const samples = family.samples;
      for (let i = 0; i < samples.length; i += CHUNK_LINES) {
        parts.push(renderSamples(samples.slice(i, i + CHUNK_LINES), ''));
        await slicer.tick();
      }
    }
  }
  return parts.join('');
}
