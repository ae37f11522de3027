/**
 * Performance benchmark: every target of muster's performance issue, measured side by side with
 * prom-client on the same series in one run. Prints a table and writes results/perf.json.
 *   node dist/perf/run.js           full sizes (several minutes)
 *   node dist/perf/run.js --smoke   small sizes, no timing target judged
 */
import { printRows, type Row } from './row.js';
import { eventLoop, lastScrapeMs, memory, peers, scheduling, scrapeAndGzip, type Size, startup, throughput } from './targets.js';
import { writeResults } from '../results.js';

const smoke = process.argv.includes('--smoke');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const size: Size = smoke
  ? { series: 2_000, histograms: 20, wrkSeries: 1_000, loopSeconds: 2, scheduleInstances: 50, scheduleSeconds: 2, bigSeries: 5_000 }
  : { series: 100_000, histograms: 1_000, wrkSeries: 10_000, loopSeconds: 20, scheduleInstances: 1_000, scheduleSeconds: 10, bigSeries: 1_000_000 };

const rows: Row[] = [];
const want = (n: string) => only === undefined || only.includes(n);
if (want('1') || want('3')) {
  rows.push(...(await scrapeAndGzip(size)));
  if (!smoke) rows.push(...(await peers(size, lastScrapeMs)));
}
if (want('2')) rows.push(await eventLoop(size));
if (want('4') && !smoke) rows.push(await throughput(size));
if (want('5')) rows.push(...(await memory(size)));
if (want('6')) rows.push(await scheduling(size));
if (want('7')) rows.push(await startup());

printRows(rows, smoke);

if (!smoke) {
  writeResults('perf', { size, rows });
}
