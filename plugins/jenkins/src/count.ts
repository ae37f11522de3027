import { type JenkinsItem, JOB_STATUSES, type JobStatus, statusOfColor } from '@muster/jenkins-client';
import picomatch from 'picomatch';

/** A predicate over full job names built from include/exclude globs. */
export function jobFilter(include: readonly string[], exclude: readonly string[]): (fullName: string) => boolean {
  const inc = picomatch([...include], { dot: true });
  const exc = exclude.length === 0 ? () => false : picomatch([...exclude], { dot: true });
  // A glob cannot spell a line break, and its `*` never matches one: match names with line
  // breaks as if they were spaces, so such a job is not silently left out of every count.
  const plain = (name: string) => name.replace(/[\r\n]/g, ' ');
  return (name) => inc(plain(name)) && !exc(plain(name));
}

/** Counts of one cycle. */
export interface Counts {
  /** `status` or `status\u0000folder` → jobs. */
  readonly jobs: Map<string, number>;
  readonly total: number;
  readonly folders: Record<'folder' | 'multibranch' | 'organization-folder', number>;
  /** Containers at `maxDepth`: the query stops there, so what they hold is unknown. */
  readonly atDepthLimit: number;
}

/** Counts jobs by status (and top-level folder) and folders by kind; only jobs pass `keep`. */
export function countItems(
  items: readonly JenkinsItem[],
  keep: (fullName: string) => boolean,
  byFolder: boolean,
  maxDepth: number,
): Counts {
  const jobs = new Map<string, number>();
  const folders = { folder: 0, multibranch: 0, 'organization-folder': 0 };
  if (!byFolder) for (const status of JOB_STATUSES) jobs.set(status, 0);
  let total = 0;
  let atDepthLimit = 0;
  for (const item of items) {
    if (item.kind !== 'job') {
      folders[item.kind]++;
      if (item.depth >= maxDepth) atDepthLimit++;
      continue;
    }
    if (!keep(item.fullName)) continue;
    total++;
    const status: JobStatus = statusOfColor(item.color);
    const key = byFolder ? `${status}\u0000${item.depth === 1 ? '' : (item.fullName.split('/')[0] ?? '')}` : status;
    jobs.set(key, (jobs.get(key) ?? 0) + 1);
  }
  return { jobs, total, folders, atDepthLimit };
}
