/**
 * Load and soak: `wrk` on a real `muster start`'s /metrics at 10k series, flat out, for 10 s of
 * warm-up and 60 s measured, while every instance cycles each second against backends flapping
 * between healthy, 500 and refused. Loopback only. Judged: zero non-200 answers, no event-loop
 * stall over 100 ms (seen from outside: the worst of a /healthz probe every 20 ms), RSS growth
 * under 10 % from the first window after the warm-up to the end. Writes results/soak.json.
 *
 *   pnpm --filter @muster/bench soak                       the full run (after pnpm build)
 *   node dist/soak/run.js --seconds 300 --series 20000     longer or bigger (the first window is the first minute at most)
 *   node dist/soak/run.js --stall busy                     on a machine busy with other work: judge only the time
 *                                                          the exporter ran during the worst probe (see soak.ts)
 * Other options: --warmup, --warmup-max, --connections, --threads, --delay (ms between requests).
 *
 * The run itself lives beside the exporter's end-to-end tests (apps/exporter/src/e2e/testing/soak.ts),
 * whose short version runs in CI; this script imports it through the exporter's `./e2e/testing/*`
 * export (a repository-only entry: `dist/e2e` is left out of the published package).
 */
import * as kit from '@muster/exporter/e2e/testing/soak';
import { findWrk } from '@muster/exporter/e2e/testing/wrk';
import { writeResults } from '../results.js';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} needs a number, found ${process.argv[i + 1]}`);
  return value;
}

const options: kit.SoakOptions = {
  ...kit.SOAK_DEFAULTS,
  seconds: option('seconds', kit.SOAK_DEFAULTS.seconds),
  warmupSeconds: option('warmup', kit.SOAK_DEFAULTS.warmupSeconds),
  warmupMaxSeconds: option('warmup-max', kit.SOAK_DEFAULTS.warmupMaxSeconds),
  series: option('series', kit.SOAK_DEFAULTS.series),
  connections: option('connections', kit.SOAK_DEFAULTS.connections),
  threads: option('threads', kit.SOAK_DEFAULTS.threads),
  delayMs: option('delay', kit.SOAK_DEFAULTS.delayMs),
};

const stall = process.argv.includes('--stall') ? process.argv[process.argv.indexOf('--stall') + 1] : 'latency';
if (stall !== 'latency' && stall !== 'busy') throw new Error(`--stall takes latency or busy, found ${stall}`);

const wrk = findWrk();
if (wrk === undefined) {
  console.error('soak: wrk is not installed (Debian package "wrk": apt-get install wrk)');
  process.exit(2);
}
console.log(
  `soak: ${options.series.toLocaleString('en')} series, ${options.httpInstances} http-health + ${options.itemsInstances} items instances every 1 s against flapping backends; ` +
    `wrk -t${options.threads} -c${options.connections}, ${options.warmupSeconds}-${options.warmupMaxSeconds} s warm-up + ${options.seconds} s measured`,
);
const result = await kit.runSoak(options, wrk, (line) => console.log(line));
console.log(kit.soakSummary(result));
const problems = kit.soakProblems(result, { stall });

writeResults('soak', { stall, result, problems });
if (problems.length > 0) {
  console.log(`soak: FAIL\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`soak: PASS (zero non-200 answers, no stall ≥ 100 ms judged on ${stall === 'busy' ? 'the time the exporter ran' : 'the raw probe latency'}, RSS growth < 10 %)`);
