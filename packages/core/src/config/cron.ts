import { createRequire } from 'node:module';

type CronModule = typeof import('cron');

let cron: CronModule | undefined;

/**
 * The `cron` package, loaded the first time a cron expression is parsed or planned. It brings
 * luxon with it (about 6 MiB resident in a bare process, 1–2 MiB in muster): a config with
 * interval or on-scrape schedules only never loads it.
 */
export function loadCron(): CronModule {
  cron ??= createRequire(import.meta.url)('cron') as CronModule;
  return cron;
}
