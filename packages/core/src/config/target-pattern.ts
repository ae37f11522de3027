import type * as Re2js from 're2js';
import { lazyModule } from '../lazy-module.js';

/** re2js, loaded the first time a pattern is compiled: a config without `allowedTargets` never needs it. */
const re2js = lazyModule<typeof Re2js>('re2js');

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
  const compiled = re2js().RE2JS.compile(source);
  return { source, test: (target) => compiled.matches(target) };
}

/** Why `source` is not a pattern RE2 accepts, or undefined when it is. */
export function targetPatternError(source: string): string | undefined {
  try {
    re2js().RE2JS.compile(source);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
