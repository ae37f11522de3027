/**
 * Child process: GETs a URL every `everyMs` for `seconds` and prints the worst answer time as
 * JSON (`{"count":…,"failed":…,"maxMs":…}`): a stall as an outside client sees it.
 *   node poll.js URL SECONDS EVERY_MS
 */
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

const [url = '', seconds = '10', everyMs = '10'] = process.argv.slice(2);
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function get(): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, timeout: 30_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Answers in the first second are not counted: connection set-up and the child's own start. */
const WARMUP_MS = 1000;
const start = performance.now();
const end = start + Number(seconds) * 1000;
let count = 0;
let failed = 0;
let maxMs = 0;
while (performance.now() < end) {
  const started = performance.now();
  try {
    if ((await get()) !== 200) failed++;
  } catch {
    failed++;
  }
  const took = performance.now() - started;
  if (started - start >= WARMUP_MS) {
    maxMs = Math.max(maxMs, took);
    count++;
  }
  await sleep(Math.max(0, Number(everyMs) - took));
}
agent.destroy();
console.log(JSON.stringify({ count, failed, maxMs }));
