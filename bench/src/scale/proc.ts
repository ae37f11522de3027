import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Resident memory (bytes) and CPU time (user + system, seconds) of a running process, from /proc. */
export function usage(pid: number): { rss: number; cpuSeconds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { rss: rssKb * 1024, cpuSeconds: ticks / 100 };
}

/** A child process started by the benchmark, with its output kept for error messages. */
export interface Child {
  readonly process: ChildProcess;
  readonly pid: number;
  output(): string;
  /** Resolves with the first output line matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  stop(): Promise<void>;
}

/** Starts `command`; its stdout and stderr are kept (the last 64 KiB). */
export function startChild(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Child {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const listeners = new Set<() => void>();
  const take = (d: Buffer) => {
    out = (out + d.toString()).slice(-65_536);
    for (const l of listeners) l();
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    process: child,
    pid: child.pid ?? -1,
    output: () => out,
    waitFor(pattern, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = pattern.exec(out);
          if (m !== null) {
            done();
            resolve(m);
          } else if (child.exitCode !== null) {
            done();
            reject(new Error(`${command} exited with ${child.exitCode}:\n${out}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${command}: no ${pattern} within ${timeoutMs} ms:\n${out}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        child.on('exit', check);
        check();
      });
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 200; resolves with the milliseconds waited. */
export async function waitOk(url: string, child: Child, timeoutMs = 300_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return performance.now() - started;
    if (child.process.exitCode !== null) throw new Error(`exited with ${child.process.exitCode}:\n${child.output()}`);
    if (performance.now() - started > timeoutMs) throw new Error(`${url} not 200 within ${timeoutMs} ms:\n${child.output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
