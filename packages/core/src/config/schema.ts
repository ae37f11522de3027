import { duration as durationSchema, z } from '@muster/sdk';
import { parseSchedule } from './schedule.js';

/** Label names Prometheus or muster own; an instance may not set them. */
export const RESERVED_LABELS: ReadonlySet<string> = new Set(['collector', 'instance', 'job']);
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const INSTANCE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

const duration = durationSchema();

const schedule = z.string().superRefine((s, ctx) => {
  const parsed = parseSchedule(s);
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: `expected ${parsed}` });
});

const labels = z.record(z.string(), z.string()).superRefine((record, ctx) => {
  for (const key of Object.keys(record)) {
    if (!LABEL_NAME.test(key) || key.startsWith('__')) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `expected a label name matching [a-zA-Z_][a-zA-Z0-9_]* not starting with "__", found "${key}"`,
      });
    } else if (RESERVED_LABELS.has(key)) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `label "${key}" is reserved (muster sets "collector"; Prometheus owns "instance" and "job")`,
      });
    }
  }
});

/** What happens to an instance's series after a failed cycle. */
export const ON_FAILURE = ['drop', 'keep'] as const;
export type OnFailure = (typeof ON_FAILURE)[number];

const onFailure = z.enum(ON_FAILURE, {
  error: (issue) => `expected "drop" or "keep", found ${JSON.stringify(issue.input)}`,
});
const maxSeries = z.number().int().positive().max(10_000_000);

/** Settings every instance inherits unless it sets its own. */
export const DEFAULTS = {
  schedule: '15s',
  timeout: '10s',
  onFailure: 'drop' as OnFailure,
  maxSeries: 10_000,
  jitter: '0ms',
};

/** One entry of `plugins:`. */
export const instanceSchema = z
  .object({
    name: z.string().regex(INSTANCE_NAME, {
      error: (issue) =>
        `expected a name of letters, digits, "_", "." or "-" starting with a letter or digit, found ${JSON.stringify(issue.input)}`,
    }),
    use: z.string().min(1, 'expected a plugin: a built-in name, a package name or a ./relative path'),
    schedule: schedule.optional(),
    timeout: duration.optional(),
    jitter: z.union([duration, z.literal('0'), z.literal('0ms')]).optional(),
    labels: labels.optional(),
    onFailure: onFailure.optional(),
    maxSeries: maxSeries.optional(),
    config: z.unknown().optional(),
  })
  .strict();

/** The whole config file, core keys only (each instance's `config` is checked by its plugin). */
export const configFileSchema = z
  .object({
    server: z
      .object({
        host: z.string().min(1).default('0.0.0.0'),
        port: z
          .union([z.number(), z.string().regex(/^\d+$/, 'expected a port number').transform(Number)])
          .pipe(z.number().int().min(0).max(65535))
          .default(9777),
        metricsPath: z
          .string()
          .regex(/^\/[A-Za-z0-9_\-/.]*$/, 'expected a path starting with "/"')
          .default('/metrics'),
        requestTimeout: duration.default('30s'),
      })
      .strict()
      .prefault({}),
    defaults: z
      .object({
        schedule: schedule.optional(),
        timeout: duration.optional(),
        jitter: z.union([duration, z.literal('0'), z.literal('0ms')]).optional(),
        onFailure: onFailure.optional(),
        maxSeries: maxSeries.optional(),
        labels: labels.optional(),
      })
      .strict()
      .prefault({}),
    plugins: z.array(instanceSchema).default([]),
  })
  .strict();

/**
 * The file's shape with each `plugins` entry left unchecked, so that one bad entry does not hide
 * the errors of the others: entries are checked one by one with {@link instanceSchema}.
 */
export const configShellSchema = configFileSchema.extend({ plugins: z.array(z.unknown()).default([]) });

export type ConfigFile = z.output<typeof configFileSchema>;
export type InstanceEntry = z.output<typeof instanceSchema>;
