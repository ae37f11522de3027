import { createError } from '../errors.js';
import type { FamilyDefinition } from './types.js';

/** The sample names a family writes. */
function sampleNames(def: FamilyDefinition): string[] {
  if (def.kind === 'histogram') return [`${def.name}_bucket`, `${def.name}_sum`, `${def.name}_count`];
  if (def.kind === 'summary') return [def.name, `${def.name}_sum`, `${def.name}_count`];
  return [def.name];
}

function openMetricsName(def: FamilyDefinition): string {
  if (def.kind === 'counter' && def.name.endsWith('_total')) return def.name.slice(0, -6);
  if (def.kind === 'info' && def.name.endsWith('_info')) return def.name.slice(0, -5);
  return def.name;
}

/** Name prefixes of the families muster exports itself: its own, and the process metrics. */
export const RESERVED_PREFIXES: readonly string[] = ['muster_', 'process_', 'nodejs_'];

/** The owner of muster's own families. */
const MUSTER_OWNER = 'muster';

interface Entry {
  readonly def: FamilyDefinition;
  readonly users: Set<string>;
}

/**
 * Every family name in the exposition, with who declared it. Two instances may share a family
 * only when they come from the same plugin and agree on kind and help: that is what lets the
 * exposition print one HELP/TYPE for them.
 */
export class FamilyRegistry {
  readonly #entries = new Map<string, Entry>();
  readonly #reservedPrefixes: readonly string[];

  /** `reservedPrefixes`: name prefixes only muster's own (system) declarations may use. */
  constructor(reservedPrefixes: string | readonly string[] = RESERVED_PREFIXES) {
    this.#reservedPrefixes = typeof reservedPrefixes === 'string' ? [reservedPrefixes] : reservedPrefixes;
  }

  /** Who first declared `other` (for clash messages). */
  #firstUser(other: Entry): string {
    return other.users.values().next().value ?? other.def.owner;
  }

  /** Declares `def` for instance `user`; throws MUSTER_ERR_METRIC_CONFLICT when it clashes. */
  declare(def: FamilyDefinition, user: string, system = false): FamilyDefinition {
    const prefix = system ? undefined : this.#reservedPrefixes.find((p) => def.name.startsWith(p));
    if (prefix !== undefined) {
      throw createError('MUSTER_ERR_METRIC_CONFLICT', [
        def.name,
        `uses the prefix "${prefix}", which is reserved for the families muster exports itself (owner: muster)`,
      ]);
    }
    const entry = this.#entries.get(def.name);
    if (entry === undefined) {
      // Checked against the other families once, when a name is first declared: a thousand
      // instances declaring the same family are a lookup each, not a walk over every family.
      // OpenMetrics names a counter's family without `_total` and an info's without `_info`: two
      // names that render as one family there are a clash too.
      const omName = openMetricsName(def);
      const samples = sampleNames(def);
      for (const other of this.#entries.values()) {
        if (other.def.name === def.name) continue;
        const first = this.#firstUser(other);
        if (openMetricsName(other.def) === omName) {
          throw createError('MUSTER_ERR_METRIC_CONFLICT', [
            def.name,
            `would share the OpenMetrics family name "${omName}" with "${other.def.name}" (declared first by "${first}" of plugin "${other.def.owner}"; declared again by "${user}")`,
          ]);
        }
        // A gauge `x_count` and a histogram `x` would write the same sample name.
        const shared = sampleNames(other.def).find((n) => samples.includes(n));
        if (shared !== undefined) {
          throw createError('MUSTER_ERR_METRIC_CONFLICT', [
            def.name,
            `would write samples named "${shared}", as ${other.def.kind} "${other.def.name}" does (declared first by "${first}" of plugin "${other.def.owner}"; declared again by "${user}")`,
          ]);
        }
      }
      this.#entries.set(def.name, { def, users: new Set([user]) });
      return def;
    }
    const prior = entry.def;
    let clash: string | undefined;
    if (prior.owner !== def.owner && prior.owner === MUSTER_OWNER) clash = 'is a family muster exports itself (owner: muster)';
    else if (prior.owner !== def.owner) clash = `is already declared by plugin "${prior.owner}" (first by "${this.#firstUser(entry)}")`;
    else if (prior.kind !== def.kind) clash = `is already declared as a ${prior.kind}, not a ${def.kind}`;
    else if (prior.help !== def.help) clash = 'is already declared with a different help text';
    // Label names may differ between instances (a plugin option may add a label): Prometheus
    // allows series of one family with different label sets, and each instance stays consistent.
    if (clash !== undefined) {
      throw createError('MUSTER_ERR_METRIC_CONFLICT', [def.name, `${clash} (declared again by "${user}")`]);
    }
    entry.users.add(user);
    return prior;
  }

  /** Forgets every family `user` declared that nobody else uses. */
  release(user: string): void {
    for (const [name, entry] of this.#entries) {
      entry.users.delete(user);
      if (entry.users.size === 0) this.#entries.delete(name);
    }
  }

  /** The definition of `name`, if declared. */
  get(name: string): FamilyDefinition | undefined {
    return this.#entries.get(name)?.def;
  }
}
