/**
 * Jenkins benchmark: reading a 20,000-job tree (folders three levels deep) with muster's client
 * (one nested `tree=` request) against an api4jenkins-style walk (one request per folder), side
 * by side in one run against the same simulated Jenkins. Each side runs in its own process.
 *
 *   node dist/jenkins/run.js            full run, writes results/jenkins.json
 *   node dist/jenkins/run.js --smoke    small tree, checks it runs (no timing targets)
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startJenkinsSimulator } from '@muster/jenkins-simulator';
import { writeResults } from '../results.js';

const run = promisify(execFile);
const smoke = process.argv.includes('--smoke');
const shape = smoke
  ? { folders: 10, depth: 3, jobsPerFolder: 5, rootJobs: 0 }
  : { folders: 300, depth: 3, jobsPerFolder: 22, rootJobs: 104 };
const cycles = smoke ? 2 : 5;

interface Side {
  mode: string;
  jobs: number;
  requestsPerCycle: number;
  medianMs: number;
  minMs: number;
  maxRssBytes: number;
}

/** Runs every side against one simulator whose answers each take `latencyMs` more. */
async function scenario(latencyMs: number, cycles: number): Promise<Side[]> {
  const sim = await startJenkinsSimulator({ generate: { ...shape, seed: 42 } });
  if (latencyMs > 0) sim.faults = { latencyMs };
  const expected = sim.stats().jobs;
  const worker = fileURLToPath(new URL('./worker.js', import.meta.url));
  const sides: Side[] = [];
  try {
    for (const mode of ['ours', 'walk', 'walk8']) {
      sim.resetRequests();
      const { stdout } = await run(process.execPath, [worker, mode, sim.url, String(cycles)], { maxBuffer: 1 << 20 });
      const side = JSON.parse(stdout) as Side;
      const served = sim.requestCount / cycles;
      if (side.jobs !== expected) throw new Error(`${mode} counted ${side.jobs} jobs, the tree has ${expected}`);
      if (served !== side.requestsPerCycle) throw new Error(`${mode}: the simulator saw ${served} requests per cycle, the worker ${side.requestsPerCycle}`);
      sides.push(side);
    }
  } finally {
    await sim.close();
  }
  return sides;
}

const mib = (b: number) => (b / 1024 / 1024).toFixed(0);
const report = (title: string, sides: Side[]) => {
  const [ours, walk, walk8] = sides as [Side, Side, Side];
  console.log(`\n${title}\n`);
  const rows = [
    ['', 'muster (1 tree= request)', 'per-folder walk', 'per-folder walk, 8 at once'],
    ['requests per cycle', ours.requestsPerCycle, walk.requestsPerCycle, walk8.requestsPerCycle],
    ['cycle time, median ms', ours.medianMs.toFixed(0), walk.medianMs.toFixed(0), walk8.medianMs.toFixed(0)],
    ['peak RSS, MiB', mib(ours.maxRssBytes), mib(walk.maxRssBytes), mib(walk8.maxRssBytes)],
  ];
  for (const row of rows) console.log(row.map((c, i) => String(c).padEnd(i === 0 ? 24 : 28)).join(''));
  const ratio = ours.medianMs / walk.medianMs;
  const ratio8 = ours.medianMs / walk8.medianMs;
  console.log(`cycle time ratio muster / walk: ${ratio.toFixed(3)} (target < 0.2), muster / walk x8: ${ratio8.toFixed(3)}`);
  return { sides, ratio, ratio8 };
};

const total = (await (async () => {
  const sim = await startJenkinsSimulator({ generate: { ...shape, seed: 42 } });
  const jobs = sim.stats().jobs;
  await sim.close();
  return jobs;
})());
console.log(`Jenkins tree: ${total} jobs, folders ${shape.depth} levels deep; ${cycles} cycles per side`);
const instant = report('A. The simulator answers at once (loopback, no server time):', await scenario(0, cycles));
const slow = smoke ? undefined : report('B. Every answer takes 5 ms more, as a busy Jenkins would:', await scenario(5, 3));
const ours = instant.sides[0] as Side;
const pass = ours.requestsPerCycle === 1 && instant.ratio < 0.2 && (slow === undefined || slow.ratio < 0.2);
console.log(smoke ? '\nsmoke run: no timing target checked' : pass ? '\nPASS' : '\nFAIL');

if (!smoke) {
  writeResults('jenkins', { jobs: total, shape, cycles, instant, latency5ms: slow, target: 0.2, pass });
}
if (smoke && ours.requestsPerCycle !== 1) process.exitCode = 1;
