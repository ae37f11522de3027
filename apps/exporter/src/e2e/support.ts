import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI. */
export const CLI = fileURLToPath(new URL('../cli.js', import.meta.url));
/** The repository root (for the shipped muster.yaml). */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** Test plugins, referenced by absolute path from configs in temp folders. */
export const FIXTURES = fileURLToPath(new URL('../../test-fixtures/', import.meta.url));

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Writes `text` as muster.yaml in a fresh temp folder and returns its path. */
export function writeConfig(text: string, name = 'muster.yaml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'muster-test-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** A local HTTP server whose handler can be swapped, and which can be stopped and restarted on its port. */
export interface TestServer {
  readonly port: number;
  readonly url: string;
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

export async function testServer(handler: TestServer['handler']): Promise<TestServer> {
  let server: Server;
  const sockets = new Set<import('node:net').Socket>();
  const listen = async (port: number) => {
    server = createServer((req, res) => api.handler(req, res));
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    return (server.address() as AddressInfo).port;
  };
  const port = await listen(0);
  const api: TestServer = {
    port,
    url: `http://127.0.0.1:${port}`,
    handler,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
    async restart() {
      await listen(port);
    },
  };
  return api;
}

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

/**
 * Runs the CLI to completion (asynchronously, so servers in this process keep answering).
 * `entry` runs another entry point (the `muster` command's bin) with `nodeArgs` before it.
 */
export function runCli(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; entry?: string; nodeArgs?: string[]; timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.entry ?? CLI, ...args], {
      env: { ...process.env, ...options.env },
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `check` until it returns true or `timeoutMs` passes; returns whether it did. The timeout
 * is a hang guard, not a performance bound: far longer than the wait should ever take on a busy
 * machine (timing is measured in bench/).
 */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 30_000, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}

/** Finding OS tools (skip locally, fail in CI) and promtool's check: the test kit's own. */
export { promtoolCheck, requireTool } from '@muster/testing';
