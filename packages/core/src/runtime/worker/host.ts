import { Worker } from 'node:worker_threads';
import { COLLECT_ERROR_REASONS, type Collector, CollectError, type CollectErrorReason, type Logger, type TargetVerdict } from '@muster/sdk';
import { createError, describeError, type MusterError } from '../../errors.js';
import type { FamilyRegistry } from '../../metrics/families.js';
import { renderSamples } from '../../metrics/exposition/format.js';
import { CHUNK_LINES } from '../../metrics/series.js';
import type { FamilyDefinition, FamilySnapshot, Sample } from '../../metrics/types.js';
import type { UnhandledSource } from '../scope.js';
import { decodeSamples, type EncodedFamily, fillMarked, type FromWorker, invalidMessage, type WorkerInit } from './protocol.js';

const ENTRY = new URL('./entry.js', import.meta.url);

/** How long a closing worker may take to run its collector's close() before it is terminated. */
const CLOSE_GRACE_MS = 2000;

/** What the host side of a worker needs from its instance. */
export interface WorkerHostOptions {
  readonly init: WorkerInit;
  /** The worker's JavaScript heap limit, in MiB. */
  readonly memoryMb: number;
  readonly families: FamilyRegistry;
  readonly logger: Logger;
  readonly onUnhandled: (error: Error, source: UnhandledSource) => void;
}

interface Pending {
  readonly id: number;
  resolve(verdict?: TargetVerdict): void;
  reject(err: unknown): void;
}

/** The metrics of a cycle that ran in a worker: what the runner reads after collect(). */
export class WorkerMetrics {
  #families: FamilySnapshot[] = [];
  #invalid: MusterError | undefined;
  readonly #name: string;
  readonly #registry: FamilyRegistry;

  constructor(name: string, registry: FamilyRegistry) {
    this.#name = name;
    this.#registry = registry;
  }

  beginCycle(): void {
    this.#families = [];
    this.#invalid = undefined;
  }

  get invalidOutput(): MusterError | undefined {
    return this.#invalid;
  }

  async snapshot(): Promise<FamilySnapshot[]> {
    return this.#families;
  }

  /** Declares the worker's families in the host's registry (clashes throw MUSTER_ERR_METRIC_CONFLICT). */
  declare(defs: readonly FamilyDefinition[]): void {
    for (const def of defs) this.#registry.declare(def, this.#name);
  }

  /** Takes a cycle's result from the worker. */
  accept(families: readonly EncodedFamily[], invalid: string | undefined): void {
    this.#families = families.map(snapshotOf);
    this.#invalid = invalid === undefined ? undefined : createError('MUSTER_ERR_INVALID_OUTPUT', [this.#name, invalid]);
  }

  release(): void {
    this.#registry.release(this.#name);
  }
}

function snapshotOf(family: EncodedFamily): FamilySnapshot {
  const { text } = family;
  return {
    name: family.name,
    help: family.help,
    kind: family.kind,
    count: family.count,
    get samples() {
      if (text === undefined) return decodeSamples(family);
      return parseSamples(text.map((chunk) => fillMarked(chunk, '')).join(''));
    },
    *chunks(constLabels: string) {
      if (text !== undefined) {
        for (const chunk of text) yield fillMarked(chunk, constLabels);
        return;
      }
      for (let i = 0; i < family.count; i += CHUNK_LINES) yield renderSamples(decodeSamples(family, i, Math.min(family.count, i + CHUNK_LINES)), constLabels);
    },
  };
}

/** Sample objects from rendered lines (for `samples`, which only tests and small families read). */
export function parseSamples(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const brace = line.indexOf('{');
    const space = line.lastIndexOf(' ');
    const name = brace === -1 ? line.slice(0, space) : line.slice(0, brace);
    const labels: Record<string, string> = {};
    if (brace !== -1) {
      const body = line.slice(brace + 1, line.lastIndexOf('}'));
      for (const m of body.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:\\.|[^"\\])*)"/g)) {
        labels[m[1] as string] = (m[2] as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      }
    }
    const raw = line.slice(space + 1);
    out.push({ name, labels, value: raw === '+Inf' ? Number.POSITIVE_INFINITY : raw === '-Inf' ? Number.NEGATIVE_INFINITY : Number(raw) });
  }
  return out;
}

/**
 * The host side of `isolation: worker`: a collector whose plugin runs in a worker thread of its
 * own. A cycle is a message to the worker and its result a message back; a cycle aborted (its
 * deadline passed, or the instance closes) terminates the worker, whatever the plugin is doing,
 * and the next cycle starts a fresh one (its `create()` runs again; accumulating metrics start
 * over). The worker's heap is capped by `resourceLimits`.
 */
export class WorkerCollector implements Collector {
  readonly metrics: WorkerMetrics;
  readonly #options: WorkerHostOptions;
  #worker: Worker | undefined;
  #ready: Promise<void> | undefined;
  #pending: Pending | undefined;
  #exited: Promise<void> | undefined;
  #seq = 0;
  #onClosed: (() => void) | undefined;

  constructor(options: WorkerHostOptions) {
    this.#options = options;
    this.metrics = new WorkerMetrics(options.init.name, options.families);
  }

  /** Starts a worker (and runs the plugin's create() in it) unless one is running. Throws what create() threw. */
  async start(): Promise<void> {
    if (this.#ready !== undefined) return this.#ready;
    // A worker cut off at its deadline is gone before the next one starts: never two at once.
    await this.#exited;
    if (this.#ready !== undefined) return this.#ready;
    return this.#spawn();
  }

  #spawn(): Promise<void> {
    const { init, memoryMb, logger } = this.#options;
    const worker = new Worker(ENTRY, {
      workerData: init,
      resourceLimits: { maxOldGenerationSizeMb: memoryMb },
      stdout: false,
      stderr: false,
    });
    this.#worker = worker;
    let settle: { resolve(): void; reject(err: unknown): void } | undefined;
    const ready = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    this.#ready = ready;
    this.#exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (raw: unknown) => {
      // The plugin shares the worker's port: a message may be forged. One that is not of the
      // protocol, or that muster cannot take, ends the worker (and fails its cycle), never muster.
      const forged = (why: string) => {
        logger.warn({ isolation: 'worker', why }, 'the plugin\'s worker sent a message muster does not accept; the worker is ended');
        const err = new Error(`the plugin's worker sent a message muster does not accept: ${why}`);
        settle?.reject(err);
        this.#pending?.reject(err);
        this.#pending = undefined;
        void this.#terminate();
      };
      const why = invalidMessage(raw);
      if (why !== undefined) {
        forged(why);
        return;
      }
      try {
        this.#onMessage(raw as FromWorker, settle);
      } catch (err) {
        forged(describeError(err));
      }
    });
    worker.on('error', (err) => {
      // An error the worker could not survive: past its memory limit (ERR_WORKER_OUT_OF_MEMORY), or thrown while starting.
      logger.warn({ err: String((err as Error).message ?? err), code: (err as { code?: string }).code }, 'the plugin\'s worker failed');
      settle?.reject(err);
      this.#pending?.reject(err);
      this.#pending = undefined;
    });
    worker.on('exit', (code) => {
      if (this.#worker === worker) {
        this.#worker = undefined;
        this.#ready = undefined;
      }
      settle?.reject(new Error(`the plugin's worker exited (code ${code}) before it was ready`));
      this.#pending?.reject(new Error(`the plugin's worker exited (code ${code}) during the cycle`));
      this.#pending = undefined;
    });
    return ready;
  }

  /** One message of the protocol from the worker. */
  #onMessage(message: FromWorker, settle: { resolve(): void; reject(err: unknown): void } | undefined): void {
    const { logger } = this.#options;
    if (message.type === 'ready') {
      try {
        this.metrics.declare(message.declared);
        settle?.resolve();
      } catch (err) {
        settle?.reject(err);
        void this.#terminate();
      }
    } else if (message.type === 'create-failed') {
      settle?.reject(new Error(message.error));
      void this.#terminate();
    } else if (message.type === 'result') this.#result(message);
    else if (message.type === 'log') logger[message.level]({ ...message.fields, isolation: 'worker' }, message.message);
    else if (message.type === 'unhandled') this.#options.onUnhandled(new Error(message.error), message.source);
    else if (message.type === 'closed') this.#onClosed?.();
  }

  #result(message: Extract<FromWorker, { type: 'result' }>): void {
    const pending = this.#pending;
    if (pending === undefined || pending.id !== message.id) return;
    this.#pending = undefined;
    try {
      this.metrics.declare(message.declared);
    } catch (err) {
      pending.reject(err);
      return;
    }
    this.metrics.accept(message.families, message.invalid);
    if (message.error !== undefined) {
      const { reason, message: text } = message.error;
      if (reason === 'invalid-output') pending.reject(createError('MUSTER_ERR_INVALID_OUTPUT', [this.#options.init.name, text]));
      else if ((COLLECT_ERROR_REASONS as readonly string[]).includes(reason)) pending.reject(new CollectError(reason as CollectErrorReason, text));
      else pending.reject(new Error(text));
      return;
    }
    pending.resolve(message.verdict);
  }

  /**
   * One cycle in the worker. An abort cuts the cycle off at once and terminates the worker,
   * whatever its code is doing; the next cycle's {@link start} waits until that worker is gone.
   */
  collect(signal: AbortSignal): Promise<TargetVerdict | undefined> {
    const worker = this.#worker;
    if (worker === undefined) return Promise.reject(new Error('the plugin\'s worker is not running'));
    const id = ++this.#seq;
    return new Promise<TargetVerdict | undefined>((resolve, reject) => {
      const onAbort = () => {
        if (this.#pending?.id === id) this.#pending = undefined;
        void this.#terminate();
        reject(signal.reason);
      };
      this.#pending = {
        id,
        resolve: (verdict) => {
          signal.removeEventListener('abort', onAbort);
          resolve(verdict);
        },
        reject: (err) => {
          signal.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      worker.postMessage({ type: 'collect', id });
    });
  }

  /** Lets the plugin's close() run (briefly), then ends the worker. */
  async close(): Promise<void> {
    const worker = this.#worker;
    if (worker === undefined) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, CLOSE_GRACE_MS);
      this.#onClosed = () => {
        clearTimeout(timer);
        resolve();
      };
      worker.postMessage({ type: 'close' });
    });
    await this.#terminate();
  }

  async #terminate(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#ready = undefined;
    if (worker !== undefined) await worker.terminate();
    await this.#exited;
  }
}
