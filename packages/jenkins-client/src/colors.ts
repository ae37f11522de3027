/** A job's state as muster reports it, derived from its Jenkins ball color. */
export const JOB_STATUSES = [
  'success',
  'failure',
  'unstable',
  'aborted',
  'not_built',
  'disabled',
  'pending',
  'building',
  'unknown',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

const BY_COLOR: Readonly<Record<string, JobStatus>> = {
  blue: 'success',
  green: 'success',
  red: 'failure',
  yellow: 'unstable',
  aborted: 'aborted',
  notbuilt: 'not_built',
  nobuilt: 'not_built',
  disabled: 'disabled',
  grey: 'pending',
};

/**
 * Maps a Jenkins `color` (`blue`, `red_anime`, `notbuilt`…; see Jenkins' `BallColor`) to a
 * status. Any `_anime` color means a build is running: `building`, whatever the last result.
 */
export function statusOfColor(color: string | undefined | null): JobStatus {
  if (typeof color !== 'string' || color === '') return 'unknown';
  if (color.endsWith('_anime')) return 'building';
  return BY_COLOR[color] ?? 'unknown';
}
