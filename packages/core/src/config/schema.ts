import { duration as durationSchema, z } from '@muster/sdk';
import { defaultRunOptionKeys, instanceRunOptionKeys, RUN_OPTION_DEFAULTS } from './run-options.js';
import { parseSchedule } from './schedule.js';
import { targetPatternError } from './target-pattern.js';

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

const PORT = 'expected a port number 0–65535';

/** What happens to an instance's series after a failed cycle. */
export const ON_FAILURE = ['drop', 'keep'] as const;
export type OnFailure = (typeof ON_FAILURE)[number];

const onFailure = z.enum(ON_FAILURE, {
  error: (issue) => `expected "drop" or "keep", found ${JSON.stringify(issue.input)}`,
});
const maxSeries = z.number().int().positive().max(10_000_000);

/** Where an instance's plugin code runs: on muster's own thread, or in a worker thread of its own. */
export const ISOLATION = ['in-process', 'worker'] as const;
export type Isolation = (typeof ISOLATION)[number];
const isolation = z.enum(ISOLATION, {
  error: (issue) => `expected "in-process" or "worker", found ${JSON.stringify(issue.input)}`,
});
const workerMemoryMb = z.number().int().min(16).max(65_536);

/** Settings every instance inherits unless it sets its own. */
export const DEFAULTS = {
  schedule: '15s',
  timeout: '10s',
  onFailure: 'drop' as OnFailure,
  maxSeries: 10_000,
  jitter: '0ms',
  isolation: 'in-process' as Isolation,
  workerMemoryMb: 256,
  ...RUN_OPTION_DEFAULTS,
};

/** What each instance key means: the descriptions of the JSON Schema, the starter config and docs/configuration.md. */
const ABOUT = {
  schedule: 'When the instance runs: an interval ("500ms", "15s", "1m"), a cron expression with 5 or 6 fields (seconds first when 6), or "on-scrape" (run while Prometheus scrapes).',
  timeout: 'Deadline of one cycle, enforced through an AbortSignal. An inherited plugin or muster default longer than an interval schedule is clamped to the interval; one set on the instance or in defaults must not exceed it.',
  jitter: 'A random delay up to this long added to each scheduled run, to spread load; shorter than the interval.',
  labels: 'Extra labels on every series of the instance. "collector", "instance" and "job" are reserved.',
  onFailure: 'After a failed cycle: "drop" removes the instance\'s series (the health metrics say why), "keep" serves the last good cycle\'s values.',
  maxSeries: 'A cycle producing more series fails with reason "series-limit" and commits nothing.',
  isolation:
    'Where the plugin code runs: "in-process" (muster\'s thread; errors it leaves unhandled are contained, blocking code is named) or "worker" (a worker thread of its own, terminated at the deadline; for plugins that may compute for long or that you do not trust).',
  workerMemoryMb: 'With isolation "worker": the worker\'s JavaScript heap limit in MiB (resourceLimits); a worker past it is ended and the cycle fails.',
};

/** One entry of `plugins:`. */
export const instanceSchema = z
  .object({
    name: z
      .string()
      .regex(INSTANCE_NAME, {
        error: (issue) =>
          `expected a name of letters, digits, "_", "." or "-" starting with a letter or digit, found ${JSON.stringify(issue.input)}`,
      })
      .describe('Instance name, unique in the file: letters, digits, "_", "." and "-". The collector="<name>" label of its series.'),
    use: z
      .string()
      .min(1, 'expected a plugin: a built-in name, a package name or a ./relative path')
      .describe('The plugin: a built-in short name (`muster plugins` lists them), an npm package name, or a path starting with ./ or ../ relative to this file.'),
    schedule: schedule.optional().describe(`${ABOUT.schedule} Default: defaults.schedule, else the plugin's default, else ${DEFAULTS.schedule}.`),
    timeout: duration.optional().describe(`${ABOUT.timeout} Default: defaults.timeout, else the plugin's default, else ${DEFAULTS.timeout}.`),
    jitter: z.union([duration, z.literal('0'), z.literal('0ms')]).optional().describe(`${ABOUT.jitter} Default: defaults.jitter, else ${DEFAULTS.jitter}.`),
    labels: labels.optional().describe(`${ABOUT.labels} Merged over defaults.labels.`),
    onFailure: onFailure.optional().describe(`${ABOUT.onFailure} Default: defaults.onFailure, else ${DEFAULTS.onFailure}.`),
    maxSeries: maxSeries.optional().describe(`${ABOUT.maxSeries} Default: defaults.maxSeries, else ${DEFAULTS.maxSeries}.`),
    isolation: isolation.optional().describe(`${ABOUT.isolation} Default: defaults.isolation, else ${DEFAULTS.isolation}.`),
    workerMemoryMb: workerMemoryMb.optional().describe(`${ABOUT.workerMemoryMb} Default: defaults.workerMemoryMb, else ${DEFAULTS.workerMemoryMb}.`),
    ...instanceRunOptionKeys,
    config: z.unknown().optional().describe("The plugin's own settings, checked by the plugin's schema (see docs/plugins/<plugin>.md)."),
  })
  .strict();

const targetPattern = z.string().superRefine((source, ctx) => {
  const error = targetPatternError(source);
  if (error !== undefined) ctx.addIssue({ code: 'custom', message: `expected a regular expression (RE2 syntax, as Prometheus reads it), found ${JSON.stringify(source)} (${error})` });
});

/** Module settings muster applies when a module sets none. */
export const MODULE_DEFAULTS = { maxTargets: 1000, idleTimeout: '5m' };

/** One entry of `modules:`: how to check a target that Prometheus names at each `/probe`. */
export const moduleSchema = z
  .object({
    use: z
      .string()
      .min(1, 'expected a plugin: a built-in name, a package name or a ./relative path')
      .describe('The plugin, as in plugins[].use; it must take targets (http-health, postgres, jenkins do).'),
    timeout: duration.optional().describe(`Deadline of one probe; a scrape's X-Prometheus-Scrape-Timeout-Seconds (less a margin) shortens it. Default: defaults.timeout, else the plugin's default, else ${DEFAULTS.timeout}.`),
    labels: labels.optional().describe(`Extra labels on every series of a probe. Merged over defaults.labels; "collector", "instance" and "job" are reserved.`),
    config: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("The plugin's settings without the target (credentials, expected status, TLS): each probe's target fills the rest."),
    allowedTargets: z
      .array(targetPattern)
      .optional()
      .describe("Regular expressions a target must match whole; any other target is refused with 400. Required when the module's config holds a credential (/probe would present it to any target named); set it too when the exporter must not be used to reach arbitrary (internal) addresses. ['.*'] accepts any target on purpose."),
    maxTargets: z
      .number()
      .int()
      .positive()
      .max(100_000)
      .optional()
      .describe(`Targets whose collector (pool, client) is kept between probes; past it, the least recently probed is closed. Default ${MODULE_DEFAULTS.maxTargets}.`),
    idleTimeout: duration.optional().describe(`A target not probed for this long has its collector closed. Default ${MODULE_DEFAULTS.idleTimeout}.`),
  })
  .strict();

const MODULE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** The whole config file, core keys only (each instance's `config` is checked by its plugin). */
export const configFileSchema = z
  .object({
    server: z
      .object({
        host: z.string().min(1).default('0.0.0.0').describe('Address to listen on; `muster start --host` overrides it.'),
        port: z
          .union([z.number(), z.string().regex(/^\d+$/).transform(Number)], { error: PORT })
          .pipe(z.number().int({ error: PORT }).min(0, { error: PORT }).max(65535, { error: PORT }))
          .default(9777)
          .describe('Port to listen on (0-65535); may be "${MUSTER_PORT:-9777}"; `muster start --port` overrides it.'),
        metricsPath: z
          .string()
          .regex(/^\/[A-Za-z0-9_\-/.]*$/, 'expected a path starting with "/"')
          .default('/metrics')
          .describe('Path of the exposition; `?collector=NAME` on it returns one instance\'s series.'),
        requestTimeout: duration.default('30s').describe('HTTP request timeout of the server, a duration.'),
        webConfig: z
          .string()
          .min(1)
          .optional()
          .describe(
            'A web config file (the Prometheus exporter-toolkit format: TLS, client certificates, bcrypt basic auth, headers), relative to this file. `--web-config` overrides it.',
          ),
        reloadEndpoint: z
          .boolean()
          .default(false)
          .describe('Serve POST /-/reload, which reloads the configuration as SIGHUP does. Off by default.'),
      })
      .strict()
      .prefault({})
      .describe('Where and how muster serves HTTP.'),
    defaults: z
      .object({
        schedule: schedule.optional().describe(`${ABOUT.schedule} When unset, each plugin's default applies, else ${DEFAULTS.schedule}.`),
        timeout: duration.optional().describe(`${ABOUT.timeout} When unset, each plugin's default applies, else ${DEFAULTS.timeout}.`),
        jitter: z.union([duration, z.literal('0'), z.literal('0ms')]).optional().describe(`${ABOUT.jitter} Default ${DEFAULTS.jitter}.`),
        onFailure: onFailure.optional().describe(`${ABOUT.onFailure} Default ${DEFAULTS.onFailure}.`),
        maxSeries: maxSeries.optional().describe(`${ABOUT.maxSeries} Default ${DEFAULTS.maxSeries}.`),
        isolation: isolation.optional().describe(`${ABOUT.isolation} Default ${DEFAULTS.isolation}.`),
        workerMemoryMb: workerMemoryMb.optional().describe(`${ABOUT.workerMemoryMb} Default ${DEFAULTS.workerMemoryMb}.`),
        labels: labels.optional().describe(ABOUT.labels),
        ...defaultRunOptionKeys,
      })
      .strict()
      .prefault({})
      .describe("Settings every instance inherits unless it sets its own (the instance's key, then these, then the plugin's defaults, then muster's)."),
    plugins: z.array(instanceSchema).default([]).describe('The configured instances, each running one collector of a plugin on its own schedule.'),
    modules: z
      .record(
        z.string().regex(MODULE_NAME, { error: (issue) => `expected a module name of letters, digits, "_", "." or "-", found ${JSON.stringify(issue.input)}` }),
        moduleSchema,
      )
      .default({})
      .describe('Modules for GET /probe?module=NAME&target=TARGET: how to check a target that Prometheus\' service discovery names (docs/many-targets.md).'),
  })
  .strict()
  .describe('A muster config file: where to serve, defaults for every instance, and the instances (plugins).');

/**
 * The file's shape with each `plugins` entry left unchecked, so that one bad entry does not hide
 * the errors of the others: entries are checked one by one with {@link instanceSchema}.
 */
export const configShellSchema = configFileSchema.extend({
  plugins: z.array(z.unknown()).default([]),
  modules: z.record(z.string(), z.unknown()).default({}),
});

export type ConfigFile = z.output<typeof configFileSchema>;
export type InstanceEntry = z.output<typeof instanceSchema>;
export type ModuleEntry = z.output<typeof moduleSchema>;
