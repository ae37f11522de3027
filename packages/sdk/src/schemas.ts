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
 * A timeout a little under a deadline `ms`: the larger of `ms − 500` and 90 % of it, at least 1.
 * Give it to the I/O inside a cycle (an HTTP request, a database query), so that a hanging backend
 * is reported as a timeout by the collector itself, before the cycle's own deadline cuts it off.
 */
export function underDeadline(ms: number): number {
  return Math.max(Math.floor(Math.max(ms - 500, ms * 0.9)), 1);
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

/**
 * A config field holding histogram bucket bounds in seconds: at least one, positive, finite,
 * strictly ascending. Pass the list to `ctx.metrics.histogram({ buckets })`.
 */
export function buckets() {
  return z
    .array(z.number({ error: (issue) => `expected a number of seconds, found ${typeof issue.input}` }).positive('expected a bucket bound above 0').finite(), {
      error: (issue) => (issue.code === 'invalid_type' ? 'expected a list of ascending bucket bounds in seconds' : undefined),
    })
    .min(1, 'expected at least one bucket')
    .superRefine((list, ctx) => {
      for (let i = 1; i < list.length; i++) {
        if ((list[i] as number) <= (list[i - 1] as number)) {
          ctx.addIssue({ code: 'custom', path: [i], message: 'expected bucket bounds in strictly ascending order' });
        }
      }
    });
}

/**
 * A config field holding an absolute `http://` or `https://` URL. Its errors never repeat the
 * value (a URL may carry a token); with `credentials: false`, a user or password in the URL is
 * refused too.
 */
export function httpUrl(options: { credentials?: boolean } = {}) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? 'required: an http:// or https:// URL' : `expected an http:// or https:// URL, found ${typeof issue.input}`) })
    .superRefine((text, ctx) => {
      let parsed: URL;
      try {
        parsed = new URL(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'expected an absolute http:// or https:// URL' });
        return;
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        ctx.addIssue({ code: 'custom', message: `expected an http:// or https:// URL, found protocol "${parsed.protocol}"` });
      }
      if (options.credentials === false && (parsed.username !== '' || parsed.password !== '')) {
        ctx.addIssue({ code: 'custom', message: 'expected no user or password in the URL' });
      }
    });
}
