import { duration, httpUrl, z } from '@muster/sdk';

const glob = z.string().min(1, 'expected a non-empty glob');

/** The `config` block of a Jenkins instance. */
export const configSchema = z
  .object({
    /** Jenkins' base URL, with its path prefix if any. */
    url: httpUrl({ credentials: false }),
    /** The user whose API token is used. */
    username: z.string().min(1).optional(),
    /** An API token (preferred; use `${file:…}`). */
    token: z.string().min(1).optional(),
    /** A password, when no token can be had. */
    password: z.string().min(1).optional(),
    /** Which jobs count: globs over full job names (`folder/sub/job`). */
    folders: z
      .object({
        include: z.array(glob).min(1).default(['**']),
        exclude: z.array(glob).default([]),
      })
      .strict()
      .prefault({}),
    /** Levels of folder nesting read (the job tree query's depth). */
    maxDepth: z.number().int().min(1).max(30).default(10),
    /**
     * Also exports `jenkins_jobs_count`, the plain total of muster's predecessor. Off by default:
     * Prometheus' linter (`promtool check metrics`) rejects a gauge named `_count`.
     */
    legacyJobsCount: z.boolean().default(false),
    /** Adds a `folder` label (the top-level folder) to `jenkins_jobs`. */
    byFolder: z.boolean().default(false),
    /** Reads the build queue (one more request per cycle). */
    queue: z.boolean().default(true),
    /** Reads nodes and executors (one more request per cycle). */
    computers: z.boolean().default(true),
    /** Per-job series of the last build: off by default; bounded by globs and `maxJobs`. */
    perJobMetrics: z
      .object({
        enabled: z.boolean().default(false),
        include: z.array(glob).min(1).default(['**']),
        exclude: z.array(glob).default([]),
        maxJobs: z.number().int().min(1).max(10_000).default(200),
      })
      .strict()
      .prefault({}),
    tls: z
      .object({
        ca: z.string().includes('-----BEGIN CERTIFICATE-----', { message: 'expected PEM text (-----BEGIN CERTIFICATE-----…)' }).optional(),
        insecureSkipVerify: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    /** Per-request timeout; default a little under the instance's timeout. */
    timeout: duration().optional(),
    /** Largest answer read from Jenkins. */
    maxBodyBytes: z.number().int().min(1024).max(1024 * 1024 * 1024).default(64 * 1024 * 1024),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.token !== undefined && c.password !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'expected either token or password, not both' });
    }
    if ((c.token !== undefined || c.password !== undefined) && c.username === undefined) {
      ctx.addIssue({ code: 'custom', path: ['username'], message: 'required when a token or password is set' });
    }
    if (c.username !== undefined && c.token === undefined && c.password === undefined) {
      ctx.addIssue({ code: 'custom', path: ['token'], message: 'required when a username is set (or use password)' });
    }
  });

export type JenkinsConfig = z.output<typeof configSchema>;
