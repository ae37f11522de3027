#!/usr/bin/env node
/**
 * `pnpm demo`: a simulated Jenkins, a real PostgreSQL, a flaky HTTP endpoint and `muster start`
 * with every built-in plugin, on loopback. Prints the URLs; Ctrl-C (or SIGTERM) stops it all.
 *
 * Options:
 *   --port N           muster's port (default $MUSTER_PORT, else 9777)
 *   --flip-seconds S   the flaky endpoint's half period (default 20)
 *   --backends-only    start the backends and write the config, but no muster (deploy/image-test
 *                      runs muster from the container image against them)
 *   --config-dir DIR   where to write muster.yaml and its secret files (default: a temp folder,
 *                      removed at the end)
 *   --steady           the flaky endpoint never fails
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MUSTER_CLI } from '../paths.js';
import { type Backends, startBackends, writeDemoConfig } from './backends.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'flip-seconds': { type: 'string', default: '20' },
    'backends-only': { type: 'boolean', default: false },
    'config-dir': { type: 'string' },
    steady: { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  process.stderr.write(`demo: ${message}\n`);
  process.exit(2);
}

const port = Number(values.port ?? process.env.MUSTER_PORT ?? 9777);
if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`--port: expected a port number, found "${values.port}"`);
const flipSeconds = Number(values['flip-seconds']);
if (!(flipSeconds > 0)) fail(`--flip-seconds: expected a positive number, found "${values['flip-seconds']}"`);

const ownDir = values['config-dir'] === undefined;
const dir = values['config-dir'] ?? mkdtempSync(join(tmpdir(), 'muster-demo-'));
const say = (line = '') => process.stdout.write(`${line}\n`);

let backends: Backends | undefined;
let muster: ChildProcess | undefined;
let stopping = false;

async function stop(code: number): Promise<never> {
  if (stopping) process.exit(code);
  stopping = true;
  say('demo: stopping…');
  const child = muster;
  if (child !== undefined && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(force);
  }
  await backends?.close();
  if (ownDir) rmSync(dir, { recursive: true, force: true });
  say('demo: stopped');
  process.exit(code);
}

// A second Ctrl-C while stopping exits at once (PostgreSQL still gets its SIGQUIT: see @muster/testing).
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

say('demo: starting a simulated Jenkins, PostgreSQL and a flaky HTTP endpoint…');
try {
  backends = await startBackends({ flipMs: flipSeconds * 1000, steady: values.steady, liveJenkins: !values['backends-only'] });
} catch (err) {
  process.stderr.write(`demo: a backend failed to start: ${(err as Error).message}\n`);
  await stop(1);
}
const b = backends as Backends;
const config = writeDemoConfig(dir, b, port);

const backendLines = [
  `  Jenkins (simulated)  ${b.jenkins.url}  (user ${b.jenkinsUser.username}, API token in ${join(dir, 'jenkins-token')}; ${b.jenkins.stats().jobs} jobs)`,
  `  PostgreSQL           postgres://${b.database.user}@127.0.0.1:${b.postgres.port}/${b.database.name}  (password in ${join(dir, 'pg-password')})`,
  `  flaky endpoint       ${b.flaky.url}  (${values.steady ? 'always healthy' : `healthy and unhealthy in turns of ${flipSeconds} s`})`,
];

if (values['backends-only']) {
  say('demo: backends ready (no muster: --backends-only)');
  for (const line of backendLines) say(line);
  say(`  config               ${config}`);
  say('demo: ready');
} else {
  const logFile = join(dir, 'muster.log');
  const log = createWriteStream(logFile);
  muster = spawn(process.execPath, [MUSTER_CLI, 'start', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  muster.stdout?.pipe(log, { end: false });
  muster.stderr?.pipe(log, { end: false });
  muster.once('exit', (code, signal) => {
    if (stopping) return;
    process.stderr.write(`demo: muster exited unexpectedly (${code ?? signal}); its log:\n`);
    try {
      process.stderr.write(readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n'));
    } catch {
      // no log
    }
    void stop(1);
  });

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (stopping) await new Promise(() => undefined);
    if (Date.now() > deadline) {
      process.stderr.write(`demo: muster did not become ready within 30 s; see ${logFile}\n`);
      await stop(1);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  say();
  say('muster demo is running:');
  say(`  muster               ${base}/         (status page: every instance, its last result)`);
  say(`                       ${base}/metrics  (everything Prometheus scrapes)`);
  for (const line of backendLines) say(line);
  say(`  config               ${config}`);
  say(`  muster's log         ${logFile}`);
  say();
  say(`Try: curl -s ${base}/metrics | grep -E '^(muster_collector_up|http_health_status|pg_up|jenkins_jobs)'`);
  say('Press Ctrl-C to stop everything.');
  say('demo: ready');

  // Tell when the flaky endpoint flips, so the change can be watched on /metrics.
  let last = b.flaky.healthy();
  setInterval(() => {
    const now = b.flaky.healthy();
    if (now !== last && !stopping) say(`demo: the flaky endpoint is now ${now ? 'healthy (200)' : 'unhealthy (503)'}; muster sees it within 5 s`);
    last = now;
  }, 500).unref();
}

// Keep running until a signal arrives.
setInterval(() => undefined, 1 << 30);
