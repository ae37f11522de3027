/**
 * Exposition benchmark: histograms, summaries and gauges committed through `@muster/sdk` and
 * served by muster's runtime and HTTP server, side by side with prom-client rendering the same
 * series in the same run; and the gzip scrape (one member, reused per commit). Prints a table and
 * writes results/exposition.json.
 *   node --expose-gc dist/exposition/run.js           full sizes (a few minutes)
 *   node dist/exposition/run.js --smoke   small sizes, no target judged
 */
import { execFile } from 'node:child_process';
import { createServer, request } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip, inflateRawSync } from 'node:zlib';
import { scrape } from '@muster/core';
import { medianMs, planOf, startMuster } from '../perf/fixture.js';
import { fetchAll } from '../perf/http.js';
import { ms, printRows, type Row } from '../perf/row.js';
import { type Kind, kindsPlugin, promCycle } from './kinds.js';
import { writeResults } from '../results.js';

const run = promisify(execFile);
const gzipAsync = promisify(gzip);
const POLL = fileURLToPath(new URL('./poll.js', import.meta.url));
const smoke = process.argv.includes('--smoke');
const loopSeconds = smoke ? 3 : 16;

/** CPU milliseconds (user + system) `fn` costs this process. */
async function cpuMs(fn: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

async function medianOf(runs: number, fn: () => Promise<number>): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < runs; i++) values.push(await fn());
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)] as number;
}

const sizeText = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);

/**
 * One kind at `labelSets`: CPU per cycle (collect + commit, against prom-client's observe +
 * `metrics()`), then the worst stall while muster commits every 5 s, seen inside (event-loop
 * delay) and outside (a child polling /healthz every 10 ms).
 */
async function kindCase(kind: Kind, labelSets: number, cpuGoal: number | undefined): Promise<Row[]> {
  const muster = await startMuster([planOf('bench', kindsPlugin, { kind, labelSets }, '5s', '5s')]);
  try {
    const perSet = kind === 'histogram' ? 14 : kind === 'summary' ? 5 : 1;
    const committed = muster.runtime.store.seriesCount('bench');
    if (committed !== labelSets * perSet) throw new Error(`muster committed ${committed} samples, expected ${labelSets * perSet}`);
    // Stalls first, while only muster's series are in the heap: scheduled commits every 5 s,
    // with an outside client polling /healthz.
    const healthz = muster.url.replace(/\/metrics$/, '/healthz');
    // The garbage earlier cases left (prom-client's baseline registries above all) is collected
    // now, not inside this case's window: each case measures its own stalls.
    (globalThis as { gc?: () => void }).gc?.();
    const inside = monitorEventLoopDelay({ resolution: 5 });
    const polling = run(process.execPath, [POLL, healthz, String(loopSeconds), '10'], { timeout: (loopSeconds + 60) * 1000 });
    // Both sides skip the first second (the child starting, its first connection).
    await sleep(1000);
    muster.runtime.start();
    inside.enable();
    const { stdout } = await polling;
    inside.disable();
    muster.runtime.pause();
    await sleep(500);
    const outside = JSON.parse(stdout.trim()) as { count: number; failed: number; maxMs: number };
    // CPU per cycle, then the same for prom-client.
    const oursCpu = await medianOf(3, () => cpuMs(() => muster.runtime.runOnce()));
    const prom = promCycle(kind, labelSets);
    let cycle = 0;
    prom.write(cycle++);
    const theirsCpu = await medianOf(3, () =>
      cpuMs(async () => {
        prom.write(cycle++);
        await prom.registry.metrics();
      }),
    );
    // prom-client renders a family in one go: the time metrics() takes is how long it holds the loop.
    const theirsStall = await medianMs(3, () => prom.registry.metrics());
    const insideMs = inside.max / 1e6;
    const name = `${sizeText(labelSets)} ${kind}${kind === 'gauge' ? 's' : ' label sets'}`;
    const cpuRatio = oursCpu / theirsCpu;
    return [
      {
        target: `${name}: CPU per cycle (collect + commit)`,
        figure: ms(oursCpu),
        baseline: `${ms(theirsCpu)} (prom-client observe + metrics())`,
        ratio: cpuRatio,
        goal: cpuGoal === undefined ? 'informative' : `≤ ${cpuGoal}`,
        pass: cpuGoal === undefined ? undefined : cpuRatio <= cpuGoal,
      },
      {
        target: `${name}: worst stall, committed every 5 s for ${loopSeconds} s`,
        figure: `${ms(insideMs)} in-process; ${ms(outside.maxMs)} /healthz (${outside.count} polls, ${outside.failed} failed)`,
        baseline: `${ms(theirsStall)} (prom-client metrics(), one block)`,
        ratio: Math.max(insideMs, outside.maxMs) / theirsStall,
        goal: '< 50 ms',
        pass: insideMs < 50 && outside.maxMs < 50 && outside.failed === 0,
      },
    ];
  } finally {
    await muster.close();
  }
}

/** Raw bytes of one answer (no decoding), to count its gzip members. */
function rawGet(url: string, headers: Record<string, string>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve(Buffer.concat(parts)));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

/** gzip members in a stream (header, raw deflate to its final block, trailer; repeated). */
function members(stream: Buffer): number {
  let count = 0;
  let at = 0;
  while (at < stream.length) {
    const inflated = inflateRawSync(stream.subarray(at + 10), { info: true }) as unknown as { engine: { bytesWritten: number } };
    at += 10 + inflated.engine.bytesWritten + 8;
    count++;
  }
  return count;
}

/** Starts a loopback HTTP server answering with `handler`. */
async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ server: ReturnType<typeof createServer>; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** The in-process row of {@link gzipCase}. */
let inProcess: Row | undefined;

/** Repeated gzip scrape at `series` gauges over 10 instances, against gzip on every request of the same body. */
async function gzipCase(series: number): Promise<Row> {
  const plans = Array.from({ length: 10 }, (_, i) => planOf(`g${i}`, kindsPlugin, { kind: 'gauge', labelSets: series / 10 }));
  const muster = await startMuster(plans);
  try {
    const body = await rawGet(muster.url, {});
    const zipped = await rawGet(muster.url, { 'accept-encoding': 'gzip' });
    const count = members(zipped);
    // Moving the answer over loopback costs both sides the same and is no work of theirs or ours:
    // a server that only sends muster's gzip bytes as they are measures it, in the same run.
    const floorServer = await serve((_req, res) => {
      res.setHeader('content-encoding', 'gzip');
      res.end(zipped);
    });
    // The baseline serves the same body over HTTP, gzipping it on every request.
    const baseline = await serve(async (_req, res) => {
      res.setHeader('content-encoding', 'gzip');
      res.end(await gzipAsync(body));
    });
    const gz = { 'accept-encoding': 'gzip' };
    (globalThis as { gc?: () => void }).gc?.(); // the earlier cases' garbage, collected before the timing
    const ours: number[] = [];
    const floor: number[] = [];
    const theirs: number[] = [];
    // Interleaved rounds: a busy moment of the machine falls on all three alike.
    for (let round = 0; round < 5; round++) {
      ours.push(await medianMs(7, () => fetchAll(muster.url, gz)));
      floor.push(await medianMs(7, () => fetchAll(floorServer.url, gz)));
      theirs.push(await medianMs(3, () => fetchAll(baseline.url, gz)));
    }
    floorServer.server.close();
    baseline.server.close();
    // The same without the loopback transfer (which both sides pay): core's scrape() against gzip of the body.
    const oursInProcess = await medianMs(30, () => scrape(muster.runtime, { acceptEncoding: 'gzip' }));
    const theirsInProcess = await medianMs(10, () => gzipAsync(body));
    inProcess = {
      target: `gzip scrape, ${sizeText(series)} series: scrape() in-process (no transfer)`,
      figure: ms(oursInProcess),
      baseline: `${ms(theirsInProcess)} (gzip of the body)`,
      ratio: oursInProcess / theirsInProcess,
      goal: '≤ 0.10',
      pass: oursInProcess / theirsInProcess <= 0.1,
    };
    const [o, f, t] = [median(ours), median(floor), median(theirs)];
    const ratio = Math.max(0, o - f) / (t - f);
    return {
      target: `gzip scrape, ${sizeText(series)} series over 10 instances (repeated, over HTTP, beyond moving the bytes)`,
      figure: `${ms(o)} − ${ms(f)} sending the same bytes = ${ms(Math.max(0, o - f))}; ${count} gzip member${count === 1 ? '' : 's'}; ${(zipped.length / 1e6).toFixed(2)} MB of ${(body.length / 1e6).toFixed(1)} MB`,
      baseline: `${ms(t)} − ${ms(f)} = ${ms(t - f)} (the same body, gzipped per request)`,
      ratio,
      goal: '≤ 0.10, one member',
      pass: ratio <= 0.1 && count === 1,
    };
  } finally {
    await muster.close();
  }
}

const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const want = (name: string) => only === undefined || only.includes(name);
const rows: Row[] = [];
if (want('hist')) {
  for (const n of smoke ? [1_000] : [10_000, 100_000]) rows.push(...(await kindCase('histogram', n, 0.5)));
}
if (want('summary')) rows.push(...(await kindCase('summary', smoke ? 1_000 : 10_000, undefined)));
if (want('gauge')) rows.push(...(await kindCase('gauge', smoke ? 1_000 : 100_000, undefined)));
if (want('gzip')) {
  rows.push(await gzipCase(smoke ? 2_000 : 100_000));
  if (inProcess !== undefined) rows.push(inProcess);
}

printRows(rows, smoke);
if (!smoke) {
  writeResults('exposition', { rows });
}
