import { type ChildProcess, spawn } from 'node:child_process';
import { freePort, sleep } from '@muster/testing';
import { CLI } from './paths.js';

/** A running `muster start`. */
export interface Exporter {
  readonly port: number;
  readonly url: string;
  readonly process: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  scrape(path?: string, headers?: Record<string, string>): Promise<{ status: number; body: string; headers: Headers; ms: number }>;
  /** Sends SIGTERM and waits for the exit code. */
  stop(): Promise<number | null>;
  /** Waits for the process to exit by itself. */
  exited(): Promise<number | null>;
}

/** The port in muster's "muster is listening" log line, once it is written. */
function listeningPort(out: string): number | undefined {
  for (const line of out.split('\n')) {
    if (!line.includes('"msg":"muster is listening"')) continue;
    try {
      const port = (JSON.parse(line) as { port?: unknown }).port;
      if (typeof port === 'number' && port > 0) return port;
    } catch {
      // a line cut in the middle: read again later
    }
  }
  return undefined;
}

/** Log levels that hide the "muster is listening" line. */
const QUIET_LEVELS = new Set(['warn', 'error', 'fatal', 'silent']);

/**
 * Starts `muster start --config FILE` and waits for /healthz. Unless a port is given, muster binds
 * port 0 and the port is read from its "muster is listening" log line: a port picked beforehand
 * could be taken by a test running beside this one before muster binds it, and /healthz would
 * then be answered by the other test's exporter. (With `waitFor: 'none'` or a log level that hides
 * that line, a free port is picked beforehand.)
 */
export async function startExporter(
  configFile: string,
  options: { env?: Record<string, string>; args?: string[]; port?: number; waitFor?: 'healthz' | 'none' } = {},
): Promise<Exporter> {
  const args = options.args ?? [];
  const level = args[args.indexOf('--log-level') + 1];
  const quiet = args.includes('--log-level') && level !== undefined && QUIET_LEVELS.has(level);
  const fromLog = options.port === undefined && options.waitFor !== 'none' && !quiet;
  let port = options.port ?? (fromLog ? 0 : await freePort());
  const child = spawn(
    process.execPath,
    [CLI, 'start', '--config', configFile, '--port', String(port), '--host', '127.0.0.1', ...args],
    { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // A hang guard, not a start-up bound: a busy machine may take long to start node and load plugins.
  const deadline = Date.now() + 120_000;
  for (; options.waitFor !== 'none'; ) {
    if (child.exitCode !== null) throw new Error(`muster exited with ${child.exitCode}:\n${out}`);
    if (port === 0) port = listeningPort(out) ?? 0;
    try {
      if (port !== 0 && (await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`muster did not start within 120 s:\n${out}`);
    }
    await sleep(50);
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    port,
    url,
    process: child,
    output: () => out,
    async scrape(path = '/metrics', headers = {}) {
      const started = performance.now();
      const res = await fetch(`${url}${path}`, { headers });
      const body = await res.text();
      return { status: res.status, body, headers: res.headers, ms: performance.now() - started };
    },
    exited: () => exited,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
