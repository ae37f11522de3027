import { type ChildProcess, spawn } from 'node:child_process';

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
