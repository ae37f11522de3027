import { createRequire } from 'node:module';
import type { RE2JS as RE2JSClass } from 're2js';

let re2js: typeof RE2JSClass | undefined;

/** RE2JS, loaded the first time a pattern is compiled: a config without `allowedTargets` never needs it. */
function RE2(): typeof RE2JSClass {
  re2js ??= (createRequire(import.meta.url)('re2js') as { RE2JS: typeof RE2JSClass }).RE2JS;
  return re2js;
}

/** One entry of a module's `allowedTargets`, matched against the whole target. */
export interface TargetPattern {
  readonly source: string;
  /** True when `target` matches the pattern whole (`^…$` implied, as in Prometheus' relabelling). */
  test(target: string): boolean;
}

/**
 * Compiles an `allowedTargets` entry with RE2 semantics, as Prometheus and blackbox_exporter read
 * their regular expressions: matching takes time linear in the target, so no target a caller
 * writes can make a pattern backtrack for seconds and stall the exporter. Throws for a pattern
 * RE2 refuses (lookarounds and backreferences are not RE2).
 */
export function compileTargetPattern(source: string): TargetPattern {
  const compiled = RE2().compile(source);
  return { source, test: (target) => compiled.matches(target) };
}

/** Why `source` is not a pattern RE2 accepts, or undefined when it is. */
export function targetPatternError(source: string): string | undefined {
  try {
    RE2().compile(source);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
