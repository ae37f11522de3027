import { CONTENT_TYPES, type ExpositionFormat } from './format.js';
import { deflateRun, gzipMember } from './gzip.js';
import type { MetricStore } from './store.js';

/** An exposition ready to send, in the negotiated format. */
export interface Exposition {
  readonly format: ExpositionFormat;
  readonly contentType: string;
  /** The exposition's bytes, in order (the committed body is shared between scrapes, never copied). */
  readonly buffers: readonly Buffer[];
  /** Total length of {@link buffers}. */
  readonly length: number;
  /** The exposition as text. */
  readonly body: string;
  /**
   * The exposition as one gzip member, in order: the committed body's raw deflate is made once
   * per commit (and each instance's large pieces once per commit of that instance), the small
   * rest per scrape, all under one header and one trailer.
   */
  gzip(): Promise<Buffer[]>;
}

const EOF = Buffer.from('# EOF\n');
const EMPTY = Buffer.alloc(0);

/** What a full scrape shows besides the committed instances. */
export interface ExpositionExtras {
  /** The embedding application's own families, rendered for this scrape; they come first. */
  readonly app?: Buffer;
  /** muster's own metrics (instance health, build, process); they come after the instances. */
  readonly self: Buffer;
}

/**
 * Every byte of a full `/metrics` answer, in order: the application's families, every
 * instance's committed families (one header each), muster's own metrics, and `# EOF` for
 * OpenMetrics.
 */
export async function fullExposition(format: ExpositionFormat, store: MetricStore, extras: ExpositionExtras): Promise<Exposition> {
  const app = extras.app ?? EMPTY;
  // Bytes and their compressed form from the same moment: a commit before gzip() changes neither.
  // Copied in slices: checks in flight are answered meanwhile (see COPY_SLICE_MS).
  const committed = await store.assembled(format);
  const tail = format === 'openmetrics' ? Buffer.concat([extras.self, EOF]) : extras.self;
  const gzip = async () => gzipMember(await Promise.all([deflateRun(app), committed.deflated(), deflateRun(tail)]));
  return exposition(format, [app, committed.bytes, tail].filter((b) => b.length > 0), gzip);
}

/** One instance's committed families alone (`?collector=NAME`), with `# EOF` for OpenMetrics. */
export function instanceExposition(format: ExpositionFormat, store: MetricStore, instance: string): Exposition {
  const slice = store.bodyBuffer(format, instance);
  const buffers = format === 'openmetrics' ? [slice, EOF] : [slice];
  return exposition(format, buffers, async () => gzipMember([await deflateRun(Buffer.concat(buffers))]));
}

function exposition(format: ExpositionFormat, buffers: Buffer[], gzip: () => Promise<Buffer[]>): Exposition {
  return {
    format,
    contentType: CONTENT_TYPES[format],
    buffers,
    length: buffers.reduce((n, b) => n + b.length, 0),
    get body() {
      return Buffer.concat(buffers).toString('utf8');
    },
    gzip,
  };
}
