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
 * Characters of rendered text collected before they are encoded: pieces of about 16 KB stay in
 * V8's young generation, where one large string of the whole body (a 1,000-instance render is
 * about 1 MB) is made in old space and costs a full collection sooner.
 */
const ENCODE_AT = 16_384;

/**
 * `renderFamilies` (format.ts) in slices, as UTF-8: the same text, rendered a chunk of lines at a
 * time and encoded as it grows, letting the event loop run whenever `slicer`'s slice is used up.
 */
export async function renderFamiliesInSlices(families: readonly FamilySnapshot[], format: ExpositionFormat, slicer = new Slicer(RENDER_SLICE_MS, 1)): Promise<Buffer> {
  const encoded: Buffer[] = [];
  let text = '';
  for (const family of families) {
    if (sampleCount(family) === 0) continue;
    text += renderHeader(family, format);
    for (const chunk of familyChunks(family, '')) {
      text += chunk;
      if (text.length >= ENCODE_AT) {
        encoded.push(Buffer.from(text, 'utf8'));
        text = '';
      }
      if (slicer.due()) await slicer.pause();
    }
  }
  if (text !== '') encoded.push(Buffer.from(text, 'utf8'));
  return Buffer.concat(encoded);
}
