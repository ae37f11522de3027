import { z } from 'zod';

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a duration such as `500ms`, `15s`, `1.5m`, `2h` or `1d` into milliseconds.
 * Returns `undefined` when the text is not such a duration or is not positive.
 */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (m === null) return undefined;
  const value = Number(m[1]) * (UNIT_MS[m[2] as string] ?? Number.NaN);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * A config field holding a duration (`"5s"`, `"500ms"`), validated with a message naming what
 * was expected and found. Its output is the text; turn it into milliseconds with
 * {@link parseDuration}. (It stays text so the schema converts to JSON Schema.)
 */
export function duration() {
  return z.string().refine((s) => parseDuration(s) !== undefined, {
    error: (issue) => `expected a duration like "500ms", "10s" or "1m", found ${JSON.stringify(issue.input)}`,
  });
}
