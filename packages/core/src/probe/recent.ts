/** One finished probe, as the status page lists it. */
export interface ProbeRecord {
  /** Unix milliseconds of its start. */
  readonly at: number;
  readonly target: string;
  readonly success: boolean;
  /** Why it failed: the backend's verdict reason or the cycle's failure reason. */
  readonly reason?: string;
  readonly durationSeconds: number;
}

/** How many probes each module remembers for the status page. */
export const RECENT_PROBES = 20;

/** The last probes of each module and the totals by result (for `muster_probes_total`). */
export class ProbeLog {
  readonly #recent = new Map<string, ProbeRecord[]>();
  readonly #totals = new Map<string, { success: number; failure: number }>();

  record(module: string, probe: ProbeRecord): void {
    const list = this.#recent.get(module) ?? [];
    list.push(probe);
    if (list.length > RECENT_PROBES) list.shift();
    this.#recent.set(module, list);
    const totals = this.totals(module);
    totals[probe.success ? 'success' : 'failure']++;
    this.#totals.set(module, totals);
  }

  /** The module's last probes, oldest first. */
  recent(module: string): readonly ProbeRecord[] {
    return this.#recent.get(module) ?? [];
  }

  /** Probes of the module by result since start. */
  totals(module: string): { success: number; failure: number } {
    return this.#totals.get(module) ?? { success: 0, failure: 0 };
  }

  /** Forgets modules not in `names` (removed by a reload): their last probes and totals. */
  retain(names: readonly string[]): void {
    for (const name of [...this.#recent.keys()]) if (!names.includes(name)) this.#recent.delete(name);
    for (const name of [...this.#totals.keys()]) if (!names.includes(name)) this.#totals.delete(name);
  }

  /** The modules that have probes recorded. */
  get modules(): readonly string[] {
    return [...new Set([...this.#recent.keys(), ...this.#totals.keys()])];
  }
}
