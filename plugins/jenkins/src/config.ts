import { duration, httpUrl, z } from '@muster/sdk';

const glob = z.string().min(1, 'expected a non-empty glob');

/** The `config` block of a Jenkins instance. */
export const configSchema = z
  .object({
    /** Jenkins' base URL, with its path prefix if any. */
    url: httpUrl({ credentials: false }).describe("Jenkins' base URL, with its path prefix if any (https://host/jenkins/). No credentials in the URL."),
    /** The user whose API token is used. */
    username: z.string().min(1).optional().describe('The user whose API token (or password) is used; anonymous when absent.'),
    /** An API token (preferred; use `${file:…}`). */
    token: z.string().min(1).optional().describe("That user's API token (preferred); use ${file:…} or an environment variable. Never logged."),
    /** A password, when no token can be had. */
    password: z.string().min(1).optional().describe('A password instead of a token. Not both.'),
    /** Which jobs count: globs over full job names (`folder/sub/job`). */
    folders: z
      .object({
        include: z.array(glob).min(1).default(['**']).describe('Globs over full job names (folder/sub/job): the jobs that count.'),
        exclude: z.array(glob).default([]).describe('Globs over full job names: jobs left out.'),
      })
      .strict()
      .prefault({})
      .describe('Which jobs count: globs over full job names.'),
    /** Levels of folder nesting read (the job tree query's depth). */
    maxDepth: z.number().int().min(1).max(30).default(10).describe('Levels of folder nesting read (1-30); jenkins_folders_at_depth_limit tells when deeper jobs were not seen.'),
    /**
     * Also exports `jenkins_jobs_count`, the plain total of muster's predecessor. Off by default:
     * Prometheus' linter (`promtool check metrics`) rejects a gauge named `_count`.
     */
    legacyJobsCount: z
      .boolean()
      .default(false)
      .describe("Also export jenkins_jobs_count, the plain total of muster's predecessor (promtool rejects its name)."),
    /** Adds a `folder` label (the top-level folder) to `jenkins_jobs`. */
    byFolder: z.boolean().default(false).describe('Add a "folder" label (the top-level folder) to jenkins_jobs.'),
    /** Reads the build queue (one more request per cycle). */
    queue: z.boolean().default(true).describe('Read the build queue for jenkins_queue_items (one more request per cycle).'),
    /** Reads nodes and executors (one more request per cycle). */
    computers: z.boolean().default(true).describe('Read nodes and executors for jenkins_executors and jenkins_nodes (one more request per cycle).'),
    /** Per-job series of the last build: off by default; bounded by globs and `maxJobs`. */
    perJobMetrics: z
      .object({
        enabled: z.boolean().default(false).describe('Export per-job last-build series.'),
        include: z.array(glob).min(1).default(['**']).describe('Globs over full job names: the jobs with per-job series.'),
        exclude: z.array(glob).default([]).describe('Globs over full job names: jobs without per-job series.'),
        maxJobs: z.number().int().min(1).max(10_000).default(200).describe('Jobs with per-job series at most (by name order); the rest are counted in jenkins_job_metrics_dropped.'),
      })
      .strict()
      .prefault({})
      .describe('Per-job series of the last build: off by default, bounded by globs and maxJobs.'),
    tls: z
      .object({
        ca: z
          .string()
          .includes('-----BEGIN CERTIFICATE-----', { message: 'expected PEM text (-----BEGIN CERTIFICATE-----…)' })
          .optional()
          .describe("PEM certificate(s) to trust instead of the system's; use ${file:ca.pem}."),
        insecureSkipVerify: z.boolean().default(false).describe('Turn certificate verification off. For tests only.'),
      })
      .strict()
      .prefault({})
      .describe('TLS settings of the requests to Jenkins.'),
    /** Per-request timeout; default a little under the instance's timeout. */
    timeout: duration().optional().describe("Per-request timeout; default a little under the instance's timeout."),
    /** Largest answer read from Jenkins. */
    maxBodyBytes: z
      .number()
      .int()
      .min(1024)
      .max(1024 * 1024 * 1024)
      .default(64 * 1024 * 1024)
      .describe('The largest answer read from Jenkins, in bytes; a bigger one fails the cycle with reason "bad-response".'),
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
