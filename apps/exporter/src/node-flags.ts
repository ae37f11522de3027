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
 * Environment `muster` runs with. glibc's malloc gives each thread that allocates its own arena
 * (up to 8 per core), and each keeps freed memory resident; Node's V8 and libuv threads
 * allocate little, so two arenas are enough and the resident size of an idle exporter drops by
 * about 1.5 MiB. A value already in the environment is kept; other C libraries ignore it.
 */
export const MEMORY_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

/** The name of a command-line flag (`--max_semi_space_size=4` → `--max-semi-space-size`; V8 reads `_` as `-`). */
function flagName(flag: string): string {
  return flag.split('=')[0]?.replaceAll('_', '-') ?? flag;
}

/** The {@link MEMORY_FLAGS} that neither the command line nor `NODE_OPTIONS` sets already. */
export function missingMemoryFlags(execArgv: readonly string[], nodeOptions = ''): string[] {
  const given = new Set([...execArgv, ...nodeOptions.split(/\s+/)].map(flagName));
  return MEMORY_FLAGS.filter((flag) => !given.has(flagName(flag)));
}

/** `env` with the {@link MEMORY_ENV} values it does not set already. */
export function withMemoryEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const added = Object.entries(MEMORY_ENV).filter(([name]) => env[name] === undefined);
  return added.length === 0 ? env : { ...env, ...Object.fromEntries(added) };
}

/**
 * Replaces the process (same PID, same stdio) with one started with the {@link MEMORY_FLAGS} it
 * lacks, and with the {@link MEMORY_ENV} its environment does not set, unless it already runs
 * with all of the flags (one set on the command line or in `NODE_OPTIONS` is kept as given, the
 * others are added; the environment alone is no reason to restart), a debugger is open
 * (`--inspect`, `--inspect-brk`: a restart would drop the session attached to this process), or
 * the platform has no `process.execve` (Windows): then it returns and muster runs as started.
 */
export function relaunchWithMemoryFlags(): void {
  const missing = missingMemoryFlags(process.execArgv, process.env.NODE_OPTIONS);
  if (missing.length === 0) return;
  if (inspectorUrl() !== undefined) return;
  const execve = (process as { execve?: (file: string, args: string[], env: NodeJS.ProcessEnv) => never }).execve;
  if (typeof execve !== 'function' || process.argv[1] === undefined) return;
  execve(process.execPath, [process.execPath, ...missing, ...process.execArgv, process.argv[1], ...process.argv.slice(2)], withMemoryEnv(process.env));
}
