import type { MetricFactory } from '@muster/sdk';

/** Declares every metric of a Jenkins instance. */
export function declareMetrics(metrics: MetricFactory, byFolder: boolean, legacyJobsCount: boolean) {
  return {
    jobs: metrics.gauge<'status' | 'folder'>({
      name: 'jenkins_jobs',
      help: 'Jobs by status derived from their color (folders are not jobs); sum() gives the total.',
      labelNames: byFolder ? ['status', 'folder'] : ['status'],
    }),
    jobsCount: legacyJobsCount
      ? metrics.gauge({
          name: 'jenkins_jobs_count',
          help: 'Total number of jobs (folders not counted): the plain total, equal to sum(jenkins_jobs).',
          legacyName: true,
        })
      : undefined,
    folders: metrics.gauge<'kind'>({
      name: 'jenkins_folders',
      help: 'Items that hold jobs, by kind: folder, multibranch, organization-folder.',
      labelNames: ['kind'],
    }),
    depthLimit: metrics.gauge({
      name: 'jenkins_folders_at_depth_limit',
      help: 'Folders at the deepest level read (maxDepth): their contents were not read. Raise maxDepth when this is above 0.',
    }),
    queue: metrics.gauge<'state'>({
      name: 'jenkins_queue_items',
      help: 'Items in the build queue by state: stuck, blocked, buildable, waiting.',
      labelNames: ['state'],
    }),
    executors: metrics.gauge<'state'>({
      name: 'jenkins_executors',
      help: 'Executors by state: busy, idle.',
      labelNames: ['state'],
    }),
    nodes: metrics.gauge<'state'>({
      name: 'jenkins_nodes',
      help: 'Nodes by state: online, offline, temporarily_offline.',
      labelNames: ['state'],
    }),
    info: metrics.info<'version'>({ name: 'jenkins_info', help: 'The Jenkins version (X-Jenkins header).', labelNames: ['version'] }),
    lastResult: metrics.gauge<'jenkins_job' | 'result'>({
      name: 'jenkins_job_last_build_result',
      help: 'Per job (opt-in): 1, labelled with the result of the last finished or running build (SUCCESS, FAILURE, UNSTABLE, ABORTED, NOT_BUILT, RUNNING, NONE).',
      labelNames: ['jenkins_job', 'result'],
    }),
    lastDuration: metrics.gauge<'jenkins_job'>({
      name: 'jenkins_job_last_build_duration_seconds',
      help: 'Per job (opt-in): duration of the last build, 0 while it runs.',
      labelNames: ['jenkins_job'],
    }),
    lastTimestamp: metrics.gauge<'jenkins_job'>({
      name: 'jenkins_job_last_build_timestamp_seconds',
      help: 'Per job (opt-in): start time of the last build, Unix seconds.',
      labelNames: ['jenkins_job'],
    }),
    perJobDropped: metrics.gauge({
      name: 'jenkins_job_metrics_dropped',
      help: 'Jobs selected for per-job series but left out because of perJobMetrics.maxJobs.',
    }),
  };
}

export type JenkinsMetrics = ReturnType<typeof declareMetrics>;
