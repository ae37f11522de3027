/**
 * Builds: `hudson.model.AbstractBuild` (freestyle, matrix) and `WorkflowRun` (pipeline), with
 * their neighbours and change sets.
 */
import { Bean, type Model, type Prop } from '../export.js';
import { type Build, type ItemNode, isJobKind } from '../store.js';
import { BUILD_CLASS, emptyBean, prop, type SimContext } from './model.js';

interface BuildTarget {
  readonly job: ItemNode;
  readonly build: Build;
}

function buildUrl(t: BuildTarget, ctx: SimContext): string {
  return `${ctx.base}${t.job.path}${t.build.number}/`;
}

function buildClassOf(job: ItemNode): string {
  return isJobKind(job.kind) ? BUILD_CLASS[job.kind] : BUILD_CLASS.freestyle;
}

const runProps: Prop<BuildTarget>[] = [
  prop('actions', 1, () => []),
  prop('artifacts', 1, () => []),
  prop('building', 1, (t) => t.build.building),
  prop('description', 1, () => null),
  prop('displayName', 1, (t) => `#${t.build.number}`),
  prop('duration', 1, (t) => t.build.duration),
  prop('estimatedDuration', 1, (t) => t.build.estimatedDuration),
  prop('executor', 1, (t) => (t.build.building ? emptyBean() : null)),
  prop('fullDisplayName', 1, (t) => `${t.job.fullDisplayName} #${t.build.number}`),
  prop('id', 1, (t) => String(t.build.number)),
  prop('keepLog', 1, () => false),
  prop('number', 2, (t) => t.build.number),
  prop('queueId', 1, (t) => t.build.number),
  prop('result', 1, (t) => t.build.result),
  prop('timestamp', 1, (t) => t.build.timestamp),
  prop('url', 2, buildUrl),
];

const abstractBuildModel: Model<BuildTarget> = {
  classOf: (t) => buildClassOf(t.job),
  props: [
    ...runProps,
    prop('builtOn', 1, () => ''),
    prop('changeSet', 1, () => new Bean(changeSetModel, null)),
    prop('culprits', 1, () => []),
  ],
};

const changeSetModel: Model<null> = {
  cls: 'hudson.scm.EmptyChangeLogSet',
  props: [prop('items', 2, () => []), prop('kind', 2, () => null)],
};

function neighbour(t: BuildTarget, delta: -1 | 1): Bean<BuildTarget> | null {
  // builds are newest first: the next (newer) build sits one index before.
  const i = t.job.builds.indexOf(t.build);
  const other = t.job.builds[i - delta];
  return other ? new Bean(workflowRunModel, { job: t.job, build: other }, false) : null;
}

const workflowRunModel: Model<BuildTarget> = {
  classOf: (t) => buildClassOf(t.job),
  props: [
    ...runProps,
    prop('changeSets', 1, () => []),
    prop('culprits', 1, () => []),
    prop('inProgress', 1, (t) => t.build.building),
    prop('nextBuild', 1, (t) => neighbour(t, 1)),
    prop('previousBuild', 1, (t) => neighbour(t, -1)),
  ],
};

/** A build as an exportable bean. */
export function buildBean(job: ItemNode, build: Build | undefined): Bean<BuildTarget> | null {
  if (!build) return null;
  return new Bean(job.kind === 'pipeline' ? workflowRunModel : abstractBuildModel, { job, build });
}
