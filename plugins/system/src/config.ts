import { z } from '@muster/sdk';

/** A boolean option with its default and a message that says what was expected. */
const flag = (fallback: boolean) =>
  z.boolean({ error: (issue) => `expected true or false, found ${JSON.stringify(issue.input)}` }).default(fallback);

/**
 * The `config` block of a system instance. Every key is optional, so an instance may leave the
 * block out. `.strict()` turns a misspelt key (`percpu`) into an error instead of a silent default.
 */
export const configSchema = z
  .object({
    /** Also export `system_cpu_core_usage_ratio`, one series per logical CPU. */
    perCpu: flag(false).describe('Also export system_cpu_core_usage_ratio, one series per logical CPU.'),
    /** Export `system_memory_bytes`. */
    memory: flag(true).describe('Export system_memory_bytes (used, available, total).'),
    /** Export `system_load1`, `system_load5` and `system_load15`. */
    load: flag(true).describe('Export system_load1, system_load5 and system_load15 (always 0 on Windows).'),
  })
  .strict();

/** A validated `config` block: the type `ctx.config` has. */
export type SystemConfig = z.output<typeof configSchema>;
