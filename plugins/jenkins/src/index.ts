/**
 * `@muster/plugin-jenkins`: Jenkins jobs by status, queue, executors, nodes and version. The
 * whole job tree is read in ONE request per cycle (a nested `tree=` query, never `depth=`).
 *
 * @packageDocumentation
 */
import { Jenkins } from '@muster/jenkins-client';
import { API_VERSION, definePlugin, parseDuration, targetHealthy, underDeadline } from '@muster/sdk';
import { configSchema } from './config.js';
import { countItems, jobFilter } from './count.js';
import { toCollectError } from './errors.js';
import { declareMetrics } from './metrics.js';
import { writePerJob } from './per-job.js';

export { configSchema, type JenkinsConfig } from './config.js';

export default definePlugin({
  name: 'jenkins',
  apiVersion: API_VERSION,
  description: 'Jenkins jobs by status (folders excluded), queue, executors, nodes and version; one job-tree request per cycle.',
  configSchema,
  defaults: { schedule: '60s', timeout: '30s' },
  target: { key: 'url', example: 'https://jenkins.example.com/' },
  create(ctx) {
    const config = ctx.config;
    const requestTimeout = config.timeout === undefined ? undefined : parseDuration(config.timeout);
    const deadlineMargin = underDeadline(ctx.timeoutMs);
    const jenkins = new Jenkins({
      url: config.url,
      username: config.username,
      token: config.token,
      password: config.password,
      ca: config.tls.ca,
      insecureSkipVerify: config.tls.insecureSkipVerify,
      timeoutMs: Math.min(requestTimeout ?? deadlineMargin, deadlineMargin),
      maxBodyBytes: config.maxBodyBytes,
      http: ctx.http,
    });
    const m = declareMetrics(ctx.metrics, config.byFolder, config.legacyJobsCount);
    const counted = jobFilter(config.folders.include, config.folders.exclude);
    const perJob = jobFilter(config.perJobMetrics.include, config.perJobMetrics.exclude);

    return {
      async collect(signal) {
        try {
          const lastBuild = config.perJobMetrics.enabled;
          const [tree, queue, computers] = await Promise.all([
            jenkins.jobTree({ maxDepth: config.maxDepth, lastBuild, signal }),
            config.queue ? jenkins.queue({ signal }) : undefined,
            config.computers ? jenkins.computers({ signal }) : undefined,
          ]);
          const counts = countItems(tree.items, counted, config.byFolder, config.maxDepth);
          m.depthLimit.set(counts.atDepthLimit);
          if (counts.atDepthLimit > 0) {
            ctx.logger.debug({ folders: counts.atDepthLimit, maxDepth: config.maxDepth }, 'folders at maxDepth were not read');
          }
          for (const [key, n] of counts.jobs) {
            const [status, folder] = key.split('\u0000') as [string, string | undefined];
            if (config.byFolder) m.jobs.set({ status, folder: folder ?? '' }, n);
            else m.jobs.set({ status }, n);
          }
          m.jobsCount?.set(counts.total);
          for (const [kind, n] of Object.entries(counts.folders)) m.folders.set({ kind }, n);
          if (tree.version !== undefined) m.info.set({ version: tree.version });
          if (queue !== undefined) {
            const states = { stuck: 0, blocked: 0, buildable: 0, waiting: 0 };
            for (const item of queue) {
              states[item.stuck ? 'stuck' : item.blocked ? 'blocked' : item.buildable ? 'buildable' : 'waiting']++;
            }
            for (const [state, n] of Object.entries(states)) m.queue.set({ state }, n);
          }
          if (computers !== undefined) {
            m.executors.set({ state: 'busy' }, computers.busyExecutors);
            m.executors.set({ state: 'idle' }, Math.max(0, computers.totalExecutors - computers.busyExecutors));
            const nodes = { online: 0, offline: 0, temporarily_offline: 0 };
            for (const node of computers.nodes) nodes[node.temporarilyOffline ? 'temporarily_offline' : node.offline ? 'offline' : 'online']++;
            for (const [state, n] of Object.entries(nodes)) m.nodes.set({ state }, n);
          }
          if (lastBuild) {
            const dropped = writePerJob(m, tree.items, (name) => counted(name) && perJob(name), config.perJobMetrics.maxJobs);
            m.perJobDropped.set(dropped);
            if (dropped > 0) ctx.logger.warn({ dropped, maxJobs: config.perJobMetrics.maxJobs }, 'per-job metrics capped');
          }
          // Reachable and answering: a Jenkins that is not fails the cycle with its reason (refused, auth…).
          return targetHealthy();
        } catch (err) {
          throw toCollectError(err);
        }
      },
    };
  },
});
