/**
 * `@muster/jenkins-client`: a small typed Jenkins REST client on got, cheap for Jenkins: the
 * whole job tree in one `tree=` request per read.
 *
 * @packageDocumentation
 */
export { type ItemKind, kindOf } from './classes.js';
export {
  type BuildSummary,
  type ComputerInfo,
  type Computers,
  Jenkins,
  type JenkinsItem,
  type JenkinsOptions,
  type JobTree,
  type QueueItem,
} from './client.js';
export { JOB_STATUSES, type JobStatus, statusOfColor } from './colors.js';
export { JenkinsError, type JenkinsErrorKind } from './errors.js';
export { jobTreeQuery } from './tree-query.js';
