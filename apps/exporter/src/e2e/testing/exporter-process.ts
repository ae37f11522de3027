import { type ChildProcess, spawn } from 'node:child_process';
import { sleep } from '@muster/testing';
import { CLI } from './paths.js';
import { freePort } from './ports.js';

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

/** Starts `muster start --config FILE` on a free port and waits for /healthz. */
export async function startExporter(
  configFile: string,
  options: { env?: Record<string, string>; args?: string[]; port?: number; waitFor?: 'healthz' | 'none' } = {},
): Promise<Exporter> {
  const port = options.port ?? (await freePort());
  const child = spawn(
    process.execPath,
    [CLI, 'start', '--config', configFile, '--port', String(port), '--host', '127.0.0.1', ...(options.args ?? [])],
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
  const url = `http://127.0.0.1:${port}`;
  // A hang guard, not a start-up bound: a busy machine may take long to start node and load plugins.
  const deadline = Date.now() + 120_000;
  for (; options.waitFor !== 'none'; ) {
    if (child.exitCode !== null) throw new Error(`muster exited with ${child.exitCode}:\n${out}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`muster did not start within 120 s:\n${out}`);
    }
    await sleep(50);
  }
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
