import type { Logger } from '@muster/sdk';
import { describeError } from '../errors.js';

/** How deep into nested fields the redactor walks; deeper values are logged as a marker. */
const MAX_DEPTH = 8;

/**
 * `value` with every string in it passed through `redact`: strings, arrays and plain objects at
 * any depth, and an `Error` as its described text (its message may hold a URL with a password).
 * Other objects (a Date, a Buffer) are logged as they are.
 */
function redactValue(value: unknown, redact: (text: string) => string, depth: number): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return redact(describeError(value));
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  if (Array.isArray(value)) return value.map((v) => redactValue(v, redact, depth + 1));
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  return redactFields(value as Record<string, unknown>, redact, depth + 1);
}

function redactFields(fields: Record<string, unknown>, redact: (text: string) => string, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) out[key] = redactValue(value, redact, depth);
  return out;
}

/**
 * A logger whose messages and fields (strings at any depth, errors as their text) pass through
 * `redact` (the secrets of the plan in force) before they reach `base`; its children and their
 * fields too.
 */
export function redactingLogger(base: Logger, redact: (text: string) => string): Logger {
  const at =
    (fn: Logger['info']) =>
    (a: string | Record<string, unknown>, b?: string): void => {
      if (typeof a === 'string') fn(redact(a));
      else if (b === undefined) fn(redactFields(a, redact));
      else fn(redactFields(a, redact), redact(b));
    };
  return {
    debug: at(base.debug.bind(base)),
    info: at(base.info.bind(base)),
    warn: at(base.warn.bind(base)),
    error: at(base.error.bind(base)),
    child: (fields) => redactingLogger(base.child(redactFields(fields, redact)), redact),
  };
}
