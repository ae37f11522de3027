import { type ExpositionFormat, renderHeader, renderLabelPairs } from './format.js';
import { bodyRun, type DeflatedRun, gzipMember, Piece } from './gzip.js';
import { familyChunks, Slicer } from './sliced.js';
import { sharedList } from '../shared-lists.js';
import { type FamilySnapshot, type MetricKind, sampleCount } from '../types.js';

/** Longest stretch a commit renders before letting the event loop run, in milliseconds. */
const SLICE_MS = 8;

/**
 * Longest stretch a scrape copies the committed body before letting the event loop run, in
 * milliseconds. Short: while the body is copied, responses to the checks in flight wait, and
 * their recorded durations with them (a 1,000-instance body is about 15,000 pieces and 3 MB).
 */
export const COPY_SLICE_MS = 2;

/** Pieces copied between two looks at the clock. */
const COPY_BATCH = 256;

/** The committed body at one moment: its bytes and (made on first use, then kept) their raw deflate. */
export interface CommittedBody {
  readonly bytes: Buffer;
  deflated(): Promise<DeflatedRun>;
}

/**
 * One instance's rendered sample lines of one family, encoded (each piece keeps its compressed
 * form once made): most are one piece, kept as it is, with no object or array around it.
 */
type Chunk = Piece | readonly Piece[];

interface FamilySlot {
  readonly name: string;
  help: string;
  kind: MetricKind;
  /** Instance name → its rendered samples; insertion order is commit order. */
  readonly chunks: Map<string, Chunk>;
}

/** What {@link MetricStore.commit} needs to know about the instance. */
export interface CommitOptions {
  /** Labels every series of the instance carries (`collector` first). */
  readonly constLabels: Readonly<Record<string, string>>;
  /**
   * True when the values come from a scheduled cycle rather than this scrape. It changes nothing
   * in the exposition: HELP is printed as declared (Prometheus' own exporters do the same).
   */
  readonly cached?: boolean;
}

/**
 * Every instance's last committed cycle, rendered. A commit renders the cycle's series in
 * slices (the event loop keeps running), then replaces all of the instance's series at once: a
 * scrape never sees half a cycle, and vanished series vanish. Families are grouped across
 * instances so each has one HELP/TYPE. The body — and its gzip — are built at most once per
 * commit and format, then served as they are.
 */
export class MetricStore {
  readonly #families = new Map<string, FamilySlot>();
  /** Instance → the names of the families it committed (one shared list for the instances of a plugin). */
  readonly #byInstance = new Map<string, readonly string[]>();
  readonly #seriesCount = new Map<string, number>();
  #bodies: Partial<Record<ExpositionFormat, CommittedBody>> = {};
  #gzips: Partial<Record<ExpositionFormat, Promise<Buffer>>> = {};
  /** Bodies being copied in slices ({@link assembled}), for the generation they were started in. */
  #assembling: Partial<Record<ExpositionFormat, Promise<CommittedBody>>> = {};
  #generation = 0;

  /** Increases on every change; lets callers cache what they derive from the body. */
  get generation(): number {
    return this.#generation;
  }

  /** Replaces `instance`'s series with `families`, atomically; rendering yields to the event loop. */
  async commit(instance: string, families: readonly FamilySnapshot[], options: CommitOptions): Promise<void> {
    const constLabels = renderLabelPairs(options.constLabels);
    const rendered: [FamilySnapshot, Chunk][] = [];
    let total = 0;
    const slicer = new Slicer(SLICE_MS, 1);
    for (const family of families) {
      const count = sampleCount(family);
      if (count === 0) continue;
      const parts: Piece[] = [];
      for (const text of familyChunks(family, constLabels)) {
        parts.push(new Piece(Buffer.from(text, 'utf8')));
        if (slicer.due()) await slicer.pause();
      }
      // Most families of an instance are one piece: kept as it is.
      rendered.push([family, parts.length === 1 ? (parts[0] as Piece) : parts]);
      total += count;
    }
    // Everything is rendered before the first change: the swap below is synchronous and whole.
    const previous = this.#byInstance.get(instance);
    this.#remove(instance);
    const names: string[] = [];
    for (const [family, chunk] of rendered) {
      let slot = this.#families.get(family.name);
      if (slot === undefined) {
        slot = { name: family.name, help: family.help, kind: family.kind, chunks: new Map() };
        this.#families.set(family.name, slot);
      }
      slot.help = family.help;
      slot.kind = family.kind;
      slot.chunks.set(instance, chunk);
      names.push(family.name);
    }
    // The same families as last time (every commit but the first, as a rule): the list it has, with
    // no lookup of the shared one on the commit path.
    this.#byInstance.set(instance, previous !== undefined && sameNames(previous, names) ? previous : sharedList(names));
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

  /** The exposition of every committed family (or of one instance), without `# EOF`. */
  body(format: ExpositionFormat, onlyInstance?: string): string {
    return this.#build(format, onlyInstance).toString('utf8');
  }

  /** The bytes of every committed family (built once per commit and format), or of one instance's. */
  bodyBuffer(format: ExpositionFormat, onlyInstance?: string): Buffer {
    if (onlyInstance !== undefined) return this.#build(format, onlyInstance);
    return this.committed(format).bytes;
  }

  /**
   * The committed body of this moment, in `format`: its bytes and their raw deflate, tied
   * together, so a scrape that compresses later (after other commits) still sends what it read.
   */
  committed(format: ExpositionFormat): CommittedBody {
    let body = this.#bodies[format];
    if (body === undefined) {
      const parts = this.#parts(format);
      const bytes = Buffer.concat(parts.map((p) => (p instanceof Piece ? p.bytes : p)));
      let run: Promise<DeflatedRun> | undefined;
      body = { bytes, deflated: () => (run ??= bodyRun(parts)) };
      this.#bodies[format] = body;
    }
    return body;
  }

  /**
   * {@link committed}, copied into one buffer in slices of {@link COPY_SLICE_MS} that let the
   * event loop run in between: what a scrape uses. The pieces are those of the moment of the
   * call, so the body is whole even when commits land while it is copied; it is kept as the
   * committed body only if none did.
   */
  assembled(format: ExpositionFormat, sliceMs = COPY_SLICE_MS): Promise<CommittedBody> {
    const body = this.#bodies[format];
    if (body !== undefined) return Promise.resolve(body);
    let pending = this.#assembling[format];
    if (pending === undefined) {
      pending = this.#assemble(format, this.#generation, sliceMs);
      this.#assembling[format] = pending;
    }
    return pending;
  }

  async #assemble(format: ExpositionFormat, generation: number, sliceMs: number): Promise<CommittedBody> {
    const parts = this.#parts(format);
    const buffers = parts.map((p) => (p instanceof Piece ? p.bytes : p));
    const bytes = Buffer.allocUnsafe(buffers.reduce((n, b) => n + b.length, 0));
    let offset = 0;
    const slicer = new Slicer(sliceMs, COPY_BATCH);
    for (const b of buffers) {
      offset += b.copy(bytes, offset);
      if (slicer.due()) await slicer.pause();
    }
    let run: Promise<DeflatedRun> | undefined;
    const body: CommittedBody = { bytes, deflated: () => (run ??= bodyRun(parts)) };
    if (this.#generation === generation) {
      this.#bodies[format] = body;
      delete this.#assembling[format];
    }
    return body;
  }

  /**
   * {@link bodyBuffer} as raw deflate (a run of a gzip member, see `gzip.ts`), made once per
   * commit and format off the event loop. Each instance's large pieces keep their compressed
   * form across commits of other instances; only new pieces, headers and small families are
   * compressed again.
   */
  deflatedBody(format: ExpositionFormat): Promise<DeflatedRun> {
    return this.committed(format).deflated();
  }

  /** {@link bodyBuffer} as one whole gzip member, made once per commit and format. */
  gzipBuffer(format: ExpositionFormat): Promise<Buffer> {
    let zipped = this.#gzips[format];
    if (zipped === undefined) {
      zipped = this.deflatedBody(format).then((run) => Buffer.concat(gzipMember([run])));
      this.#gzips[format] = zipped;
    }
    return zipped;
  }

  #build(format: ExpositionFormat, onlyInstance?: string): Buffer {
    return Buffer.concat(this.#parts(format, onlyInstance).map((p) => (p instanceof Piece ? p.bytes : p)));
  }

  /** The body in order: each family's header, then its pieces from every instance. */
  #parts(format: ExpositionFormat, onlyInstance?: string): (Piece | Buffer)[] {
    const parts: (Piece | Buffer)[] = [];
    for (const slot of this.#families.values()) {
      const chunks = onlyInstance === undefined ? [...slot.chunks.values()] : [slot.chunks.get(onlyInstance)].filter((c) => c !== undefined);
      if (chunks.length === 0) continue;
      parts.push(Buffer.from(renderHeader(slot, format), 'utf8'));
      for (const chunk of chunks) {
        if (chunk instanceof Piece) parts.push(chunk);
        else parts.push(...chunk);
      }
    }
    return parts;
  }

  #remove(instance: string): boolean {
    const names = this.#byInstance.get(instance);
    if (names === undefined) return false;
    for (const name of names) {
      const slot = this.#families.get(name);
      if (slot === undefined) continue;
      slot.chunks.delete(instance);
      if (slot.chunks.size === 0) this.#families.delete(name);
    }
    this.#byInstance.delete(instance);
    this.#seriesCount.delete(instance);
    return true;
  }

  #changed(): void {
    this.#bodies = {};
    this.#gzips = {};
    this.#assembling = {};
    this.#generation++;
  }
}

/** Whether two lists of family names are equal, in order. */
function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
