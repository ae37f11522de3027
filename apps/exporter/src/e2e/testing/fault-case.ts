/**
 * The loop that runs one fault case of the fault-matrix tests (faults.test.ts) against a running
 * `muster start`: break one instance's backend, watch it fail alone, mend it, watch it recover.
 */
import assert from 'node:assert/strict';
import { findSamples, type ParsedExposition, parseExposition, sleep } from '@muster/testing';
import type { Exporter } from './exporter-process.js';

/** An exporter with its instances, and how its plugin family says an instance is healthy or why not. */
export interface Family {
  readonly exporter: Exporter;
  readonly instances: readonly string[];
  /**
   * `none` when the instance is healthy; else its bounded reason as this family reports it (the
   * plugin's own reason for http-health and postgres, whose failures are results; muster's
   * `muster_collector_failure_reason` for jenkins); `undefined` when it has no result yet.
   */
  reasonOf(parsed: ParsedExposition, instance: string): string | undefined;
}

/** One fault case: break one instance's backend, and mend it. */
export interface FaultCase {
  readonly victim: string;
  readonly reason: string;
  apply(): unknown;
  heal(): unknown;
}

/** Timing of the instances under test. */
export interface CaseTiming {
  /** The instances' schedule interval. */
  readonly intervalMs: number;
  /** The instances' timeout. */
  readonly timeoutMs: number;
}

/** What one case measured, for the test's diagnostics (never judged: timing lives in bench/). */
export interface CaseFigures {
  downAfterMs: number;
  recoveredAfterMs: number;
  /** Cycles of the victim that ended between the fault and its reason showing, and between the mending and its recovery. */
  downAfterCycles: number;
  recoveredAfterCycles: number;
  slowestScrapeMs: number;
  scrapes: number;
}

/** Cycles of `collector` that ran to an end (success or failure), from its `muster_collector_runs_total`. */
export function cyclesEnded(p: ParsedExposition, collector: string): number {
  return ['success', 'failure'].reduce((sum, result) => sum + (findSamples(p, 'muster_collector_runs_total', { collector, result })[0]?.value ?? 0), 0);
}

/** A hang guard for the waits below: far longer than any cycle; reaching it means something is stuck, not slow. */
const HANG_GUARD_MS = 60_000;

/**
 * Runs `c` against `family`: waits until every instance is healthy, applies the fault, then
 * scrapes every 100 ms. Every scrape must answer 200 and the process must stay up. Counted in the
 * victim's own cycles, not in wall-clock time (a loaded machine runs fewer of them, not worse
 * ones): the victim must show `c.reason` by the end of the second cycle that ends after the fault,
 * every other instance staying healthy; after `c.heal()` it must be healthy by the end of the
 * second cycle that ends after the mending (the first may have started before it).
 */
export async function runCase(family: Family, c: FaultCase, timing: CaseTiming): Promise<CaseFigures> {
  const { exporter } = family;
  const figures: CaseFigures = {
    downAfterMs: Number.NaN,
    recoveredAfterMs: Number.NaN,
    downAfterCycles: Number.NaN,
    recoveredAfterCycles: Number.NaN,
    slowestScrapeMs: 0,
    scrapes: 0,
  };
  const scrape = async (): Promise<ParsedExposition> => {
    assert.equal(exporter.process.exitCode, null, `the exporter exited:\n${exporter.output().slice(-3000)}`);
    assert.equal(exporter.process.signalCode, null, 'the exporter was killed');
    const { status, body, ms } = await exporter.scrape();
    assert.equal(status, 200);
    figures.slowestScrapeMs = Math.max(figures.slowestScrapeMs, ms);
    figures.scrapes++;
    return parseExposition(body);
  };
  const reasons = (p: ParsedExposition) => Object.fromEntries(family.instances.map((i) => [i, family.reasonOf(p, i)]));
  const others = family.instances.filter((i) => i !== c.victim);
  // Another instance may miss its own deadline when the machine is starved of CPU (its reason is
  // then `timeout`); any other failure of it is the victim's fault leaking, and fails the case.
  const expectOthersHealthy = (p: ParsedExposition, when: string) => {
    const bad = others.filter((i) => !['none', 'timeout'].includes(family.reasonOf(p, i) ?? 'none'));
    assert.deepEqual(bad, [], `${when}: other instances are not healthy: ${JSON.stringify(reasons(p))}`);
  };

  // Every instance healthy before the fault.
  const baselineUntil = Date.now() + 3 * timing.intervalMs + HANG_GUARD_MS;
  for (;;) {
    const p = await scrape();
    if (family.instances.every((i) => family.reasonOf(p, i) === 'none')) break;
    assert.ok(Date.now() < baselineUntil, `not every instance is healthy before the fault: ${JSON.stringify(reasons(p))}`);
    await sleep(100);
  }

  const atFault = cyclesEnded(await scrape(), c.victim);
  await c.apply();
  try {
    await watchFault();
  } finally {
    // Healed whatever happened, so that one failed case does not leave its fault on for the next.
    await c.heal();
  }
  figures.recoveredAfterMs = await watchRecovery();
  return figures;

  async function watchFault(): Promise<void> {
    const applied = performance.now();
    let last: string | undefined;
    for (;;) {
      const p = await scrape();
      last = family.reasonOf(p, c.victim);
      expectOthersHealthy(p, 'while the fault is on');
      const cycles = cyclesEnded(p, c.victim) - atFault;
      if (last === c.reason) {
        figures.downAfterCycles = cycles;
        break;
      }
      // The cycle running when the fault came may end healthy; the next one must show the fault.
      assert.ok(cycles < 2, `${c.victim}: expected reason ${c.reason} by the second cycle after the fault, ${cycles} ended; last seen ${last}`);
      assert.ok(performance.now() - applied < HANG_GUARD_MS, `${c.victim}: no cycle of it ended for ${HANG_GUARD_MS} ms`);
      await sleep(100);
    }
    figures.downAfterMs = performance.now() - applied;
    // It stays down with the same reason while the others stay up, over a few more scrapes.
    for (let i = 0; i < 3; i++) {
      await sleep(150);
      const p = await scrape();
      assert.equal(family.reasonOf(p, c.victim), c.reason, `${c.victim} keeps its reason while the fault lasts`);
      expectOthersHealthy(p, 'while the fault is on');
    }
  }

  async function watchRecovery(): Promise<number> {
    const atHeal = cyclesEnded(await scrape(), c.victim);
    const healed = performance.now();
    let last: string | undefined;
    for (;;) {
      const p = await scrape();
      last = family.reasonOf(p, c.victim);
      const cycles = cyclesEnded(p, c.victim) - atHeal;
      if (last === 'none') {
        expectOthersHealthy(p, 'after the recovery');
        figures.recoveredAfterCycles = cycles;
        break;
      }
      assert.ok(cycles < 2, `${c.victim}: not healthy by the second cycle after its backend's recovery, ${cycles} ended; last seen ${last}`);
      assert.ok(performance.now() - healed < HANG_GUARD_MS, `${c.victim}: no cycle of it ended for ${HANG_GUARD_MS} ms`);
      await sleep(50);
    }
    return performance.now() - healed;
  }
}
