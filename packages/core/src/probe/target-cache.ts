import type { ModulePlan } from '../config/plan.js';
import { MetricStore } from '../metrics/exposition/store.js';
import type { Instance } from '../runtime/instance.js';

/** One probed target's collector, kept between probes with its own store. */
export interface CachedTarget {
  readonly key: string;
  readonly module: ModulePlan;
  readonly target: string;
  readonly instance: Instance;
  readonly store: MetricStore;
  /** `performance.now()` of the last probe. */
  lastUsed: number;
}

/** The key of one module's target. */
export function targetKey(module: string, target: string): string {
  return `${module}\u0000${target}`;
}

/**
 * The collectors of probed targets: a target's pool or client lives from its first probe until
 * it has not been probed for its module's `idleTimeout`, and each module keeps at most
 * `maxTargets` (the least recently probed one is closed first). Closing waits for nothing: the
 * instance aborts its work and its series go with its store.
 */
export class TargetCache {
  readonly #entries = new Map<string, CachedTarget>();
  #sweeper: NodeJS.Timeout | undefined;

  /** How many targets are kept, in all modules or in one. */
  size(module?: string): number {
    if (module === undefined) return this.#entries.size;
    let n = 0;
    for (const entry of this.#entries.values()) if (entry.module.name === module) n++;
    return n;
  }

  /** The kept target, marked as used now. */
  get(module: string, target: string): CachedTarget | undefined {
    const entry = this.#entries.get(targetKey(module, target));
    if (entry !== undefined) {
      entry.lastUsed = performance.now();
      // Map order is the order of last use: the first entry is the least recently probed.
      this.#entries.delete(entry.key);
      this.#entries.set(entry.key, entry);
    }
    return entry;
  }

  /** Keeps `instance` for `target`, closing the least recently probed idle ones past the cap. */
  add(module: ModulePlan, target: string, instance: Instance): CachedTarget {
    const entry: CachedTarget = { key: targetKey(module.name, target), module, target, instance, store: new MetricStore(), lastUsed: performance.now() };
    this.#entries.set(entry.key, entry);
    this.trim(module, entry);
    this.#arm();
    return entry;
  }

  /**
   * Closes the module's least recently probed targets past its `maxTargets`. A target whose cycle
   * runs is skipped, so many concurrent probes of new targets may pass the cap for as long as they
   * run: the prober trims again when each cycle ends.
   */
  trim(module: ModulePlan, keep?: CachedTarget): void {
    let over = this.size(module.name) - module.maxTargets;
    for (const other of this.#entries.values()) {
      if (over <= 0) break;
      if (other.module.name !== module.name || other === keep || other.instance.running !== undefined) continue;
      this.#close(other);
      over--;
    }
  }

  /** Closes every kept target whose module is not in `keep` (by name and fingerprint). */
  retain(keep: readonly ModulePlan[]): void {
    const current = new Map(keep.map((m) => [m.name, m.fingerprint]));
    for (const entry of this.#entries.values()) {
      if (current.get(entry.module.name) !== entry.module.fingerprint) this.#close(entry);
    }
  }

  /** Closes targets not probed for their module's idle time. */
  sweep(now = performance.now()): void {
    for (const entry of this.#entries.values()) {
      if (entry.instance.running === undefined && now - entry.lastUsed >= entry.module.idleMs) this.#close(entry);
    }
  }

  /** Closes everything. */
  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#sweeper = undefined;
    const closing = [...this.#entries.values()].map((entry) => this.#close(entry));
    await Promise.all(closing);
  }

  #close(entry: CachedTarget): Promise<void> {
    this.#entries.delete(entry.key);
    if (this.#entries.size === 0) {
      clearInterval(this.#sweeper);
      this.#sweeper = undefined;
    }
    return entry.instance.close();
  }

  /** Sweeps every few seconds while anything is kept (the timer never holds the process up). */
  #arm(): void {
    if (this.#sweeper !== undefined) return;
    const shortest = Math.min(...[...this.#entries.values()].map((e) => e.module.idleMs));
    const every = Math.max(100, Math.min(shortest / 4, 10_000));
    this.#sweeper = setInterval(() => this.sweep(), every);
    this.#sweeper.unref();
  }
}
