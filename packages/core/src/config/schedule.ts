import { parseDuration } from '@muster/sdk';
import { lazyModule } from '../lazy-module.js';

/**
 * The `cron` package, loaded with the first cron expression: it brings luxon (1–2 MiB resident in
 * muster), which configs with interval or on-scrape schedules only never load.
 */
const loadCron = lazyModule<typeof import('cron')>('cron');

/** When an instance runs: at a fixed interval, on a cron expression, or during each scrape. */
export type Schedule =
  | { readonly kind: 'interval'; readonly everyMs: number; readonly text: string }
  | { readonly kind: 'cron'; readonly expression: string; readonly text: string }
  | { readonly kind: 'on-scrape'; readonly text: 'on-scrape' };

/** Parses `15s`, `1m`, a cron expression (5 or 6 fields; seconds first when 6) or `on-scrape`. */
export function parseSchedule(text: string): Schedule | string {
  const trimmed = text.trim();
  if (trimmed === 'on-scrape') return { kind: 'on-scrape', text: 'on-scrape' };
  const everyMs = parseDuration(trimmed);
  if (everyMs !== undefined) {
    if (everyMs < 100) return `an interval of at least 100ms, found "${text}"`;
    return { kind: 'interval', everyMs, text: trimmed };
  }
  const fields = trimmed.split(/\s+/).length;
  if (fields === 5 || fields === 6) {
    const { CronTime, validateCronExpression } = loadCron();
    const check = validateCronExpression(trimmed);
    if (check.valid) {
      // A valid expression may still match no date (February 31st): the scheduler could not plan it.
      try {
        new CronTime(trimmed).getNextDateFrom(new Date());
      } catch {
        return `a cron expression that fires, found "${text}", which never fires`;
      }
      return { kind: 'cron', expression: trimmed, text: trimmed };
    }
    return `a valid cron expression, found "${text}" (${check.error?.message ?? 'invalid'})`;
  }
  return `a duration like "15s" or "1m", a cron expression like "*/30 * * * * *", or "on-scrape"; found "${text}"`;
}

/** Milliseconds from `from` until the cron expression next fires. */
export function msUntilNextCron(expression: string, from: Date = new Date()): number {
  const next = new (loadCron().CronTime)(expression).getNextDateFrom(from);
  return Math.max(0, next.toMillis() - from.getTime());
}
