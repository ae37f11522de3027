import { createError } from '../errors.js';
import { formatPath, type PathSegment } from './path.js';

/**
 * What a config file may cost to read. A file past any of them is refused whole, before
 * anything else looks at it, with MUSTER_ERR_CONFIG_LIMIT naming the limit.
 */
export const CONFIG_LIMITS = {
  /** Size of the file, in bytes. */
  maxBytes: 1024 * 1024,
  /** Nesting of mappings and lists; the top level is depth 1. */
  maxDepth: 64,
  /** Values in the whole tree (mappings, lists and scalars), counted after aliases are expanded. */
  maxNodes: 100_000,
  /** YAML aliases (`*name`), counted as the `yaml` package counts them (nested expansions included). */
  maxAliases: 100,
} as const;

/** A limit of {@link CONFIG_LIMITS} by name. */
export type ConfigLimit = keyof typeof CONFIG_LIMITS;

/** The error for a file past `limit`; `detail` says by how much and where. */
export function limitError(filepath: string, limit: ConfigLimit, detail: string, cause?: unknown) {
  return createError('MUSTER_ERR_CONFIG_LIMIT', [filepath, `${limit}=${CONFIG_LIMITS[limit]}`, detail], cause);
}

/** Refuses a text longer than {@link CONFIG_LIMITS.maxBytes}; `partial` when `bytes` is only what was read so far. */
export function checkSize(filepath: string, bytes: number, partial = false): void {
  if (bytes > CONFIG_LIMITS.maxBytes) {
    throw limitError(filepath, 'maxBytes', partial ? `more than ${CONFIG_LIMITS.maxBytes} bytes to read` : `the file has ${bytes} bytes`);
  }
}

/** The first segments of a path, for an error about something nested very deep. */
function shortPath(path: readonly PathSegment[]): string {
  const shown = formatPath(path.slice(0, 6));
  return path.length > 6 ? `${shown}… (${path.length} levels)` : shown;
}

interface Frame {
  readonly value: unknown;
  readonly depth: number;
  readonly parent: Frame | undefined;
  readonly key: PathSegment | undefined;
}

function pathOf(frame: Frame): PathSegment[] {
  const path: PathSegment[] = [];
  for (let f: Frame | undefined = frame; f?.key !== undefined; f = f.parent) path.unshift(f.key);
  return path;
}

/**
 * Walks a parsed config without recursion and refuses it when it nests deeper than
 * {@link CONFIG_LIMITS.maxDepth} or holds more than {@link CONFIG_LIMITS.maxNodes} values. A value
 * reached twice (a YAML alias, an object shared by a JS config) counts twice, as every later
 * stage would walk it twice; a cycle is refused by the depth limit. Stops at the first excess, so
 * its cost is bounded by the limits, not by the input.
 */
export function checkTree(filepath: string, root: unknown): void {
  const stack: Frame[] = [{ value: root, depth: 1, parent: undefined, key: undefined }];
  // Scalars are counted when their parent is visited, without a frame of their own: the count at
  // each check is the same as if every value waited on the stack.
  let nodes = 0;
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    nodes++;
    const { value } = frame;
    if (value === null || typeof value !== 'object') continue;
    if (frame.depth > CONFIG_LIMITS.maxDepth) {
      throw limitError(filepath, 'maxDepth', `mappings and lists nested more than ${CONFIG_LIMITS.maxDepth} levels deep at ${shortPath(pathOf(frame))}`);
    }
    const keys: readonly PathSegment[] | undefined = Array.isArray(value) ? undefined : Object.keys(value);
    const size = keys === undefined ? (value as unknown[]).length : keys.length;
    if (nodes + stack.length + size > CONFIG_LIMITS.maxNodes) {
      throw limitError(filepath, 'maxNodes', `more than ${CONFIG_LIMITS.maxNodes} values (each alias expansion counted) by ${shortPath(pathOf(frame))}`);
    }
    // Children in reverse, so that they are visited in order.
    for (let i = size - 1; i >= 0; i--) {
      const key = keys === undefined ? i : (keys[i] as PathSegment);
      const child = (value as Record<PathSegment, unknown>)[key];
      if (child !== null && typeof child === 'object') stack.push({ value: child, depth: frame.depth + 1, parent: frame, key });
      else nodes++;
    }
  }
}
