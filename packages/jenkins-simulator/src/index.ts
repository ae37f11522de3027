/**
 * `@muster/jenkins-simulator`: a real HTTP server that answers the Jenkins JSON remote
 * access API (`/api/json` with `tree=` and `depth=`, folders, multibranch projects,
 * organization folders, job colors, the queue, nodes, auth, crumbs) and can misbehave on
 * purpose (latency, error statuses, HTML login pages, malformed or cut bodies, hangs).
 *
 * @packageDocumentation
 */
export {
  type JenkinsSimulator,
  type JenkinsSimulatorOptions,
  type SimAuth,
  type SimFaults,
  type SimRequest,
  startJenkinsSimulator,
} from './server.js';
export {
  type GeneratedTotals,
  type GenerateOptions,
  generatedTotals,
  generateTree,
  mulberry32,
} from './generate.js';
export { itemsFromJenkinsJson } from './replay.js';
export { BUILD_CLASS, ITEM_CLASS } from './beans/model.js';
export { rawEncode } from './encode.js';
export { ALL_RANGE, parseTree, type TreeRange, type TreeSpec, TreeSyntaxError, treeToString } from './tree.js';
export {
  BALL_COLORS,
  BASE_COLORS,
  type BallColor,
  type BaseColor,
  type BuildResult,
  type FolderKind,
  ITEM_KINDS,
  type ItemKind,
  type JobKind,
  type SimBuild,
  type SimComputer,
  type SimItem,
  type SimQueueItem,
  type SimStats,
} from './types.js';
