/**
 * A wrong-password flood against a real `muster start` with `basic_auth_users`, and a client with
 * the right (already verified) password measured meanwhile. `wrk` sends a new random password on
 * every request (so no answer can come from memory) over `connections` connections; the right
 * client sends one request at a time on a kept-alive connection and records each latency.
 * Loopback only; the flood lasts `seconds`.
 *
 * Used by the end-to-end test (auth-flood.test.ts, behaviour only) and by the benchmark
 * (bench/src/auth, figures), which loads it from the exporter's build.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcrypt';
import { type Exporter, startExporter } from './exporter-process.js';

/** The user and password of the right client. */
export const USER = 'prometheus';
export const PASSWORD = 'scrape-me-please';

/** A web config file with the one user, its password hashed by bcrypt at `cost` (as htpasswd writes it). */
export function webConfigText(cost = 10): string {
  return `basic_auth_users:\n  ${USER}: ${bcrypt.hashSync(PASSWORD, cost).replace(/^\$2b\$/, '$2y$')}\n`;
}

/** A muster with one bcrypt user (cost `cost`) and no instances, on plain HTTP. */
export async function startGuarded(cost = 10): Promise<{ exporter: Exporter; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'muster-flood-'));
  writeFileSync(join(dir, 'muster.yaml'), 'plugins: []\n');
  writeFileSync(join(dir, 'web.yml'), webConfigText(cost));
  const exporter = await startExporter(join(dir, 'muster.yaml'), { args: ['--web-config', join(dir, 'web.yml')], waitFor: 'none' });
  while (!exporter.output().includes('"msg":"muster is listening"')) {
    if (exporter.process.exitCode !== null) throw new Error(`muster exited:\n${exporter.output()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return { exporter, dir };
}

/** The wrk script: a random wrong password per request; counts the answers by status. */
const SCRIPT = `
local chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
local function base64(data)
  return ((data:gsub('.', function(x)
    local r, b = '', x:byte()
    for i = 8, 1, -1 do r = r .. (b % 2 ^ i - b % 2 ^ (i - 1) > 0 and '1' or '0') end
    return r
  end) .. '0000'):gsub('%d%d%d?%d?%d?%d?', function(x)
    if #x < 6 then return '' end
    local c = 0
    for i = 1, 6 do c = c + (x:sub(i, i) == '1' and 2 ^ (6 - i) or 0) end
    return chars:sub(c + 1, c + 1)
  end) .. ({ '', '==', '=' })[#data % 3 + 1])
end
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set('id', #threads)
end
function init(args)
  counter = 0
  statuses = {}
  math.randomseed(os.time() + id)
end
function request()
  counter = counter + 1
  local credentials = '${USER}:wrong-' .. id .. '-' .. counter .. '-' .. math.random(1, 1000000000)
  return wrk.format('GET', nil, { ['Authorization'] = 'Basic ' .. base64(credentials) })
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get('statuses')) do total[k] = (total[k] or 0) + v end
  end
  for k, v in pairs(total) do io.write(string.format('status %d: %d\\n', k, v)) end
  io.write(string.format('errors: %d\\n', summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
`;

/** What the flood and the right client saw. */
export interface FloodResult {
  readonly connections: number;
  /** Latencies of the right client's requests, ms, in order. */
  readonly goodLatencies: readonly number[];
  /** Statuses of the right client's requests, with how many of each. */
  readonly goodStatuses: Readonly<Record<number, number>>;
  /** Answers to the flood by status (empty without a flood). */
  readonly floodStatuses: Readonly<Record<number, number>>;
  readonly floodErrors: number;
}

/** One request with the right password on `agent`'s kept-alive connection; resolves status and ms. */
function goodRequest(port: number, agent: Agent, path: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, agent, headers: { authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}` } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * Floods with `connections` wrong-password connections (none: the baseline) for `seconds`, while
 * the right client sends one request after another (its first request, before the flood, makes
 * its password verified and is not counted).
 */
export async function measureFlood(wrk: string, port: number, connections: number, seconds: number, path = '/healthz'): Promise<FloodResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const warm = await goodRequest(port, agent, path);
  if (warm.status !== 200) throw new Error(`the right password was answered ${warm.status}`);
  let floodOut = '';
  let flooding = true;
  const flood =
    connections === 0
      ? new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000))
      : new Promise<void>((resolve, reject) => {
          const dir = mkdtempSync(join(tmpdir(), 'muster-wrk-'));
          writeFileSync(join(dir, 'flood.lua'), SCRIPT);
          const child = spawn(wrk, ['-t2', `-c${connections}`, `-d${seconds}s`, '--timeout', '30s', '-s', join(dir, 'flood.lua'), `http://127.0.0.1:${port}${path}`]);
          child.stdout.on('data', (d) => {
            floodOut += d;
          });
          child.stderr.on('data', (d) => {
            floodOut += d;
          });
          child.on('error', reject);
          child.on('close', () => resolve());
        });
  void flood.finally(() => {
    flooding = false;
  });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  // Let the flood get going before measuring.
  await new Promise((r) => setTimeout(r, 200));
  while (flooding) {
    const { status, ms } = await goodRequest(port, agent, path);
    latencies.push(ms);
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
  await flood;
  agent.destroy();
  const floodStatuses: Record<number, number> = {};
  for (const m of floodOut.matchAll(/^status (\d+): (\d+)$/gm)) floodStatuses[Number(m[1])] = Number(m[2]);
  return { connections, goodLatencies: latencies, goodStatuses: statuses, floodStatuses, floodErrors: Number(/^errors: (\d+)$/m.exec(floodOut)?.[1] ?? 0) };
}

/** The q-quantile of `values` (nearest rank). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}
