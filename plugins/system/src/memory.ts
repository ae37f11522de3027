import { readFile } from 'node:fs/promises';
import { freemem, totalmem } from 'node:os';

/** Host memory in bytes; `used + available === total`. */
export interface Memory {
  readonly used: number;
  readonly available: number;
  readonly total: number;
}

const MEMINFO = '/proc/meminfo';

/** `MemAvailable` of a /proc/meminfo text, in bytes; `undefined` when the line is missing. */
export function parseMemAvailable(meminfo: string): number | undefined {
  const match = /^MemAvailable:\s+(\d+) kB$/m.exec(meminfo);
  return match === null ? undefined : Number(match[1]) * 1024;
}

/**
 * Reads `MemAvailable` (the kernel's estimate of memory that can be handed out without
 * swapping, page cache included) from `path`. `undefined` when the file cannot be read or has
 * no such line (a sandbox without /proc, a kernel older than 3.14).
 *
 * The read honours `signal`: when it fires (the cycle's deadline, or shutdown) this rejects
 * with the signal's reason instead of falling back, so the cycle stops.
 */
export async function readMemAvailable(signal: AbortSignal, path = MEMINFO): Promise<number | undefined> {
  try {
    return parseMemAvailable(await readFile(path, { encoding: 'utf8', signal }));
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    if (err instanceof Error && 'code' in err) return undefined; // ENOENT, EACCES…: no /proc here
    throw err;
  }
}

/**
 * Host memory now. Total is `os.totalmem()`. Available is `MemAvailable` from /proc/meminfo on
 * Linux, `os.freemem()` elsewhere or when /proc/meminfo cannot tell. Used is total − available.
 */
export async function readMemory(signal: AbortSignal): Promise<Memory> {
  const fromProc = process.platform === 'linux' ? await readMemAvailable(signal) : undefined;
  const total = totalmem();
  const available = Math.min(fromProc ?? freemem(), total);
  return { used: total - available, available, total };
}
