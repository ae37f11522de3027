import { url as inspectorUrl } from 'node:inspector';

/**
 * V8 flags `muster` runs with. A young generation of 2 MiB semi-spaces (instead of up to 32 MiB)
 * keeps the resident memory of an exporter near what it holds: muster's allocations are many
 * and short-lived, and a large young generation only keeps garbage resident between scavenges.
 * Measured with 1,000 instances: 285 MiB resident with V8's default, 177 MiB with this.
 * An old generation that grows by 20 % after each full collection (V8 lets it grow by up to
 * 4x) keeps the garbage of many cycles from piling up between full collections: after a minute
 * of 1,000 instances, 217 MiB resident without it, 174 MiB with it, at no measurable CPU cost.
 */
export const MEMORY_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--heap-growing-percent=20'];

/**
 * Replaces the process (same PID, same stdio) with one started with {@link MEMORY_FLAGS}, unless
 * it already runs with them, `NODE_OPTIONS` sets the semi-space size, a debugger is open
 * (`--inspect`, `--inspect-brk`: a restart would drop the session attached to this process), or
 * the platform has no `process.execve` (Windows): then it returns and muster runs with V8's
 * defaults.
 */
export function relaunchWithMemoryFlags(): void {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (given.some((flag) => flag.startsWith('--max-semi-space-size'))) return;
  if (inspectorUrl() !== undefined) return;
  const execve = (process as { execve?: (file: string, args: string[], env: NodeJS.ProcessEnv) => never }).execve;
  if (typeof execve !== 'function' || process.argv[1] === undefined) return;
  execve(process.execPath, [process.execPath, ...MEMORY_FLAGS, ...process.execArgv, process.argv[1], ...process.argv.slice(2)], process.env);
}
