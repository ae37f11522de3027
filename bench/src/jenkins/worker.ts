/**
 * One side of the Jenkins benchmark, in its own process so its peak memory is its own:
 * `node worker.js <ours|walk|walk8> <baseUrl> <cycles>` prints one JSON line.
 */
import { Jenkins } from '@muster/jenkins-client';
import { walkPerFolder } from './walk.js';

const [mode, baseUrl, cyclesText] = process.argv.slice(2);
if (mode === undefined || baseUrl === undefined) throw new Error('usage: worker.js <ours|walk|walk8> <baseUrl> <cycles>');
const cycles = Number(cyclesText ?? '5');

const times: number[] = [];
let jobs = 0;
let requests = 0;
const client = new Jenkins({ url: baseUrl, timeoutMs: 120_000, maxBodyBytes: 512 * 1024 * 1024 });
for (let i = 0; i < cycles; i++) {
  const started = performance.now();
  if (mode === 'ours') {
    const tree = await client.jobTree({ maxDepth: 10 });
    jobs = tree.items.filter((item) => item.kind === 'job').length;
    requests = 1;
  } else {
    const result = await walkPerFolder(baseUrl, { concurrency: mode === 'walk8' ? 8 : 1 });
    jobs = result.jobs;
    requests = result.requests;
  }
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)] ?? Number.NaN;
process.stdout.write(
  `${JSON.stringify({ mode, jobs, requestsPerCycle: requests, medianMs: median, minMs: times[0], maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`,
);
