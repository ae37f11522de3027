import { type JenkinsItem, statusOfColor } from '@muster/jenkins-client';
import type { JenkinsMetrics } from './metrics.js';

/**
 * Writes the last-build series of the selected jobs, at most `maxJobs` of them (by full name),
 * and returns how many selected jobs were left out.
 */
export function writePerJob(
  m: JenkinsMetrics,
  items: readonly JenkinsItem[],
  selected: (fullName: string) => boolean,
  maxJobs: number,
): number {
  const jobs = items.filter((i) => i.kind === 'job' && selected(i.fullName)).sort((a, b) => (a.fullName < b.fullName ? -1 : 1));
  for (const job of jobs.slice(0, maxJobs)) {
    const build = job.lastBuild;
    const running = statusOfColor(job.color) === 'building';
    const result = build === null || build === undefined ? 'NONE' : (build.result ?? (running ? 'RUNNING' : 'NONE'));
    m.lastResult.set({ jenkins_job: job.fullName, result }, 1);
    if (build !== null && build !== undefined) {
      m.lastDuration.set({ jenkins_job: job.fullName }, build.duration / 1000);
      m.lastTimestamp.set({ jenkins_job: job.fullName }, build.timestamp / 1000);
    }
  }
  return Math.max(0, jobs.length - maxJobs);
}
