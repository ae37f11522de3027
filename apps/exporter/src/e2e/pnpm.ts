import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** How to run pnpm: the one running this test when there is one (`npm_execpath`), else `pnpm` on PATH. */
export function pnpmCommand(args: readonly string[]): { command: string; argv: string[] } {
  const viaNode = process.env.npm_execpath?.endsWith('.cjs') ?? false;
  return viaNode ? { command: process.execPath, argv: [process.env.npm_execpath as string, ...args] } : { command: 'pnpm', argv: [...args] };
}

/** The environment of this process without what would make a child `node --test` think it runs inside this test. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  return { ...env, ...extra };
}

/** Starts pnpm in `cwd`, its output collected. */
export function spawnPnpm(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = childEnv()): { child: ChildProcess; output: () => string } {
  const { command, argv } = pnpmCommand(args);
  const child = spawn(command, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  return { child, output: () => output };
}

/** Runs pnpm in `cwd` to completion; killed after `timeoutMs` (a hang guard, not a performance bound). */
export function runPnpm(
  args: readonly string[],
  cwd: string,
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<{ code: number | null; output: string }> {
  const { child, output } = spawnPnpm(args, cwd, options.env ?? childEnv({ CI: 'true' }));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 240_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output: output() });
    });
  });
}

/** The PIDs of every live descendant of `pid` (Linux: read from /proc). */
export function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = parents.get(ppid) ?? [];
    list.push(Number(entry));
    parents.set(ppid, list);
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of parents.get(queue.shift() as number) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** Whether a process with this PID still exists (and is not a zombie). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Sends `sig` to each PID still alive. A process that exits between the check and the signal
 * (a wrapper ending once its child has gone) is not an error: it is what was wanted.
 */
export function signalAll(pids: readonly number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    if (!isAlive(pid)) continue;
    try {
      process.kill(pid, sig);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
}
