/**
 * A server process of a test (PostgreSQL, PgBouncer) on a free port of 127.0.0.1: spawned as the
 * service user when the tests run as root, its log kept, waited for until it answers, started
 * again on another port when the one picked was taken meanwhile, and stopped by a signal.
 *
 * @packageDocumentation
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type pg from 'pg';
import { isExecutable } from './binaries.js';
import type { ServiceUser } from './service-user.js';

/** How much of a server's log (stderr) is kept: the last 64 KiB. */
const LOG_LIMIT = 64 * 1024;

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** What a test server is and how to tell it answers. */
export interface ServiceSpec {
  /** Its name in errors: `postgres`, `pgbouncer`. */
  readonly name: string;
  readonly binary: string;
  /** Its arguments to listen on `port`. */
  args(port: number): string[];
  /** Runs before each start (e.g. writes the config file naming `port`). */
  beforeStart?(port: number): void;
  /** Its folder (the working directory). */
  readonly cwd: string;
  /** Its environment; default this process's. */
  readonly env?: NodeJS.ProcessEnv;
  /** The user it runs as (tests run as root), or this process's. */
  readonly runAs: ServiceUser | undefined;
  /** The signal it gets (through `setpriv --pdeathsig`) if this process dies without stopping it. */
  readonly deathSignal: 'QUIT' | 'TERM';
  /** A hang guard on start-up: after it, the server is sent `hungSignal` and the start fails. */
  readonly startTimeoutMs: number;
  readonly hungSignal: NodeJS.Signals;
  /** Its log's words when the port was taken meanwhile: the start is tried again on another port. */
  readonly portTaken: RegExp;
  /** Whether it answers on `port` now. */
  answers(port: number): Promise<boolean>;
}

/** A server process: its port, its log, and starting and stopping it again. */
export interface ServiceProcess {
  readonly port: number;
  /** Its process id while it runs. */
  readonly pid: number | undefined;
  /** Whether it runs (started and not stopped). */
  readonly running: boolean;
  /** Its log (stderr) so far, at most the last 64 KiB, across restarts. */
  log(): string;
  /** Starts it again on the same port; nothing when it runs. */
  start(): Promise<void>;
  /** Sends `signal` and waits for its exit; SIGKILL after `graceMs`. Nothing when it does not run. */
  stop(signal: NodeJS.Signals, graceMs: number): Promise<void>;
  /** Sends `signal` without waiting (this process is exiting). Nothing when it does not run. */
  kill(signal: NodeJS.Signals): void;
}

/**
 * Starts `spec` on a free port and waits until it answers; when the port was taken meanwhile,
 * tries again on another, three times at most.
 */
export async function spawnService(spec: ServiceSpec): Promise<ServiceProcess> {
  // setpriv --pdeathsig: the server gets `deathSignal` if this process dies without stopping it
  // (a crash, a SIGKILL by a test runner's timeout).
  const setpriv = process.platform === 'linux' && isExecutable('/usr/bin/setpriv') ? '/usr/bin/setpriv' : undefined;
  let port = 0;
  let child: ChildProcess | undefined;
  let log = '';

  const start = async (): Promise<void> => {
    spec.beforeStart?.(port);
    const args = spec.args(port);
    const [command, argv] = setpriv === undefined ? [spec.binary, args] : [setpriv, ['--pdeathsig', spec.deathSignal, '--', spec.binary, ...args]];
    const proc = spawn(command, argv, {
      cwd: spec.cwd,
      ...(spec.env === undefined ? {} : { env: spec.env }),
      stdio: ['ignore', 'ignore', 'pipe'],
      ...(spec.runAs === undefined ? {} : { uid: spec.runAs.uid, gid: spec.runAs.gid }),
    });
    child = proc;
    let exited = false;
    proc.on('exit', () => {
      exited = true;
    });
    proc.on('error', (err) => {
      log += `\n[spawn error] ${err.message}`;
    });
    proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      log = (log + chunk).slice(-LOG_LIMIT);
    });
    // Neither the server nor its log pipe keeps this process alive: close() or the exit hook stops it.
    proc.unref();
    (proc.stderr as unknown as { unref?: () => void } | null)?.unref?.();
    const deadline = Date.now() + spec.startTimeoutMs;
    for (;;) {
      if (exited) throw new Error(`${spec.name} exited while starting (port ${port}):\n${log.slice(-4000)}`);
      if (await spec.answers(port)) return;
      if (Date.now() > deadline) {
        proc.kill(spec.hungSignal);
        throw new Error(`${spec.name} did not answer within ${spec.startTimeoutMs / 1000} s (port ${port}):\n${log.slice(-4000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  // The port was free a moment ago; another process may take it first: try a few.
  for (let attempt = 1; ; attempt++) {
    port = await freeTcpPort();
    try {
      await start();
      break;
    } catch (err) {
      if (attempt >= 3 || !spec.portTaken.test(log)) throw err;
    }
  }

  const runs = (proc: ChildProcess | undefined): proc is ChildProcess => proc !== undefined && proc.exitCode === null && proc.signalCode === null;
  return {
    get port() {
      return port;
    },
    get pid() {
      return child?.pid;
    },
    get running() {
      return child !== undefined;
    },
    log: () => log,
    async start() {
      if (child !== undefined) return;
      await start();
    },
    kill(signal) {
      if (runs(child)) child.kill(signal);
    },
    async stop(signal, graceMs) {
      const proc = child;
      if (!runs(proc)) {
        child = undefined;
        return;
      }
      const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await gone;
      clearTimeout(timer);
      child = undefined;
    },
  };
}

/** Whether `client` connects and answers `sql`; it is ended either way. */
export async function answersQuery(client: pg.Client, sql: string): Promise<boolean> {
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query(sql);
    await client.end();
    return true;
  } catch {
    await client.end().catch(() => undefined);
    return false;
  }
}

/** Test folders to remove, and servers to stop, if this process exits without closing them. */
const leftovers = new Map<string, { readonly server: () => ServiceProcess | undefined; readonly signal: NodeJS.Signals }>();
let exitHookInstalled = false;

/**
 * Removes `root` and sends `signal` to the server in it (what `server()` returns, once started)
 * when this process exits without closing them: a test that forgets close(), or fails before
 * it, leaves nothing running. `forget(root)` when closed.
 */
export function cleanUpOnExit(root: string, signal: NodeJS.Signals, server: () => ServiceProcess | undefined = () => undefined): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const [folder, left] of leftovers) {
        try {
          left.server()?.kill(left.signal);
        } catch {
          // already gone
        }
        rmSync(folder, { recursive: true, force: true, maxRetries: 2 });
      }
    });
  }
  leftovers.set(root, { server, signal });
}

/** The folder `root` was closed: nothing left to clean up there. */
export function forget(root: string): void {
  leftovers.delete(root);
}
