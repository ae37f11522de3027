/**
 * The exported shapes of the Jenkins classes the simulator serves: `hudson.model.Hudson`,
 * jobs, folders, builds, views, the queue, nodes and the crumb issuer. Property names,
 * order (superclass first, alphabetical within a class, as Stapler writes them) and
 * visibilities follow Jenkins core and the folder, branch-api, workflow-job and matrix plugins.
 *
 * @packageDocumentation
 */
import { rawEncode } from './encode.js';
import { Bean, type ExportContext, type Model, type Prop } from './export.js';
import { type Build, type Container, type ItemNode, isJobKind, type Store } from './store.js';
import type { BuildResult, ItemKind, SimComputer, SimQueueItem } from './types.js';

/** `_class` of each item kind. */
export const ITEM_CLASS: Record<ItemKind, string> = {
  freestyle: 'hudson.model.FreeStyleProject',
  pipeline: 'org.jenkinsci.plugins.workflow.job.WorkflowJob',
  matrix: 'hudson.matrix.MatrixProject',
  folder: 'com.cloudbees.hudson.plugins.folder.Folder',
  multibranch: 'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject',
  'organization-folder': 'jenkins.branch.OrganizationFolder',
};

/** `_class` of the builds of each job kind. */
export const BUILD_CLASS: Record<'freestyle' | 'pipeline' | 'matrix', string> = {
  freestyle: 'hudson.model.FreeStyleBuild',
  pipeline: 'org.jenkinsci.plugins.workflow.job.WorkflowRun',
  matrix: 'hudson.matrix.MatrixBuild',
};

/** A queue item with its defaults filled in. */
export interface QueueEntry extends Required<Omit<SimQueueItem, 'why'>> {
  why: string | null;
}

/** Everything a getter may need, per request. */
export interface SimContext extends ExportContext {
  readonly store: Store;
  readonly queue: readonly QueueEntry[];
  readonly queueByTask: ReadonlyMap<string, QueueEntry>;
  readonly computers: readonly SimComputer[];
  readonly useCrumbs: boolean;
  readonly useSecurity: boolean;
  readonly crumb: string;
}

function prop<T>(name: string, vis: number, get: (t: T, ctx: SimContext) => unknown, inline = false): Prop<T> {
  return { name, vis, inline, get: get as (t: T, ctx: ExportContext) => unknown };
}

const EMPTY: Model<unknown> = { props: [] };
const emptyBean = (cls?: string): Bean => new Bean<unknown>(cls ? { cls, props: [] } : EMPTY, null);

// ---------------------------------------------------------------- labels, load, views

const labelModel: Model<string> = { props: [prop<string>('name', 2, (n) => n)] };

const LOAD_SERIES = [
  'availableExecutors',
  'busyExecutors',
  'connectingExecutors',
  'definedExecutors',
  'idleExecutors',
  'onlineExecutors',
  'queueLength',
  'totalExecutors',
  'totalQueueLength',
];
const overallLoadModel: Model<null> = {
    props: LOAD_SERIES.map((n) => prop<null>(n, 1, () => emptyBean())),
};

interface ViewTarget {
  readonly owner: Container;
  readonly ownerPath: string;
  readonly name: string;
  readonly cls: string;
}

const viewModel: Model<ViewTarget> = {
  classOf: (v) => v.cls,
  props: [
    prop<ViewTarget>('description', 1, () => null),
    prop<ViewTarget>('jobs', 1, (v) => v.owner.children.map(itemBean)),
    prop<ViewTarget>('name', 2, (v) => v.name),
    prop<ViewTarget>('property', 1, () => []),
    prop<ViewTarget>('url', 2, (v, ctx) => ctx.base + v.ownerPath),
  ],
};

function defaultView(owner: Container, ownerPath: string, kind: ItemKind | 'root'): Bean<ViewTarget> {
  switch (kind) {
    case 'root':
      return new Bean(viewModel, { owner, ownerPath, name: 'all', cls: 'hudson.model.AllView' });
    case 'multibranch':
      return new Bean(viewModel, {
        owner,
        ownerPath,
        name: 'default',
        cls: 'jenkins.branch.MultiBranchProjectViewHolder$ViewImpl',
      });
    case 'organization-folder':
      return new Bean(viewModel, {
        owner,
        ownerPath,
        name: 'default',
        cls: 'jenkins.branch.OrganizationFolderViewHolder$ViewImpl',
      });
    default:
      return new Bean(viewModel, { owner, ownerPath, name: 'All', cls: 'hudson.model.AllView' });
  }
}

// ---------------------------------------------------------------- builds

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

// ---------------------------------------------------------------- health

interface Health {
  readonly description: string;
  readonly score: number;
}

const healthModel: Model<Health> = {
    props: [
    prop<Health>('description', 2, (h) => h.description),
    prop<Health>('iconClassName', 2, (h) => `icon-${healthIcon(h.score)}`),
    prop<Health>('iconUrl', 2, (h) => `${healthIcon(h.score)}.png`),
    prop<Health>('score', 2, (h) => h.score),
  ],
};

function healthIcon(score: number): string {
  if (score >= 80) return 'health-80plus';
  if (score >= 60) return 'health-60to79';
  if (score >= 40) return 'health-40to59';
  if (score >= 20) return 'health-20to39';
  return 'health-00to19';
}

const FAILING: ReadonlySet<BuildResult> = new Set(['FAILURE', 'NOT_BUILT', 'ABORTED']);

/** Jenkins' build stability report over the last five completed builds. */
function stability(job: ItemNode): Bean<Health>[] {
  const recent = job.builds.filter((b) => !b.building).slice(0, 5);
  if (recent.length === 0) return [];
  const failed = recent.filter((b) => b.result !== null && FAILING.has(b.result)).length;
  const score = Math.floor((100 * (recent.length - failed)) / recent.length);
  const description =
    failed === 0
      ? 'Build stability: No recent builds failed.'
      : failed === recent.length
        ? 'Build stability: All recent builds failed.'
        : `Build stability: ${failed} out of the last ${recent.length} builds failed.`;
  return [new Bean(healthModel, { description, score })];
}

// ---------------------------------------------------------------- items

const itemProps: Prop<ItemNode>[] = [
  prop('actions', 1, () => []),
  prop('description', 1, (n) => n.description),
  prop('displayName', 1, (n) => n.displayName ?? n.name),
  prop('displayNameOrNull', 1, (n) => n.displayName ?? null),
  prop('fullDisplayName', 1, (n) => n.fullDisplayName),
  prop('fullName', 1, (n) => n.fullName),
  prop('name', 999, (n) => n.name),
  prop('url', 999, (n, ctx) => ctx.base + n.path),
];

const isSuccessful = (r: BuildResult) => r === 'SUCCESS' || r === 'UNSTABLE';

const jobProps: Prop<ItemNode>[] = [
  prop('allBuilds', -2, (n) => n.builds.map((b) => buildBean(n, b))),
  prop('buildable', 1, (n) => !n.isDisabled),
  prop('builds', 1, (n) => n.builds.slice(0, 100).map((b) => buildBean(n, b))),
  prop('color', 2, (n) => n.color),
  prop('firstBuild', 1, (n) => buildBean(n, n.builds[n.builds.length - 1])),
  prop('healthReport', 1, stability),
  prop('inQueue', 1, (n, ctx) => ctx.queueByTask.has(n.fullName)),
  prop('keepDependencies', 1, () => false),
  prop('lastBuild', 1, (n) => buildBean(n, n.builds[0])),
  prop('lastCompletedBuild', 1, (n) => buildBean(n, n.lastCompletedBuild)),
  prop('lastFailedBuild', 1, (n) => buildBean(n, n.lastWhere((r) => r === 'FAILURE'))),
  prop('lastStableBuild', 1, (n) => buildBean(n, n.lastWhere((r) => r === 'SUCCESS'))),
  prop('lastSuccessfulBuild', 1, (n) => buildBean(n, n.lastWhere(isSuccessful))),
  prop('lastUnstableBuild', 1, (n) => buildBean(n, n.lastWhere((r) => r === 'UNSTABLE'))),
  prop('lastUnsuccessfulBuild', 1, (n) => buildBean(n, n.lastWhere((r) => r !== 'SUCCESS'))),
  prop('nextBuildNumber', 1, (n) => (n.builds[0]?.number ?? 0) + 1),
  prop('property', 1, () => []),
  prop('queueItem', 1, (n, ctx) => {
    const q = ctx.queueByTask.get(n.fullName);
    return q ? new Bean(queueItemModel, q) : null;
  }),
];

const abstractProjectProps: Prop<ItemNode>[] = [
  prop('concurrentBuild', 1, () => false),
  prop('disabled', 1, (n) => n.isDisabled),
  prop('downstreamProjects', 1, () => []),
  prop('labelExpression', 1, () => null),
  prop('scm', 1, () => emptyBean('hudson.scm.NullSCM')),
  prop('upstreamProjects', 1, () => []),
];

const folderProps: Prop<ItemNode>[] = [
  prop('healthReport', 1, () => []),
  prop('jobs', 1, (n) => n.children.map(itemBean)),
  prop('primaryView', 1, (n) => defaultView(n, n.path, n.kind)),
  prop('views', 1, (n) => [defaultView(n, n.path, n.kind)]),
];

function itemModel(kind: ItemKind, props: Prop<ItemNode>[]): Model<ItemNode> {
  return { classOf: (n) => n.className ?? ITEM_CLASS[kind], props };
}

const ITEM_MODELS: Record<ItemKind, Model<ItemNode>> = {
  freestyle: itemModel('freestyle', [...itemProps, ...jobProps, ...abstractProjectProps]),
  matrix: itemModel('matrix', [
    ...itemProps,
    ...jobProps,
    ...abstractProjectProps,
    prop('activeConfigurations', 1, () => []),
  ]),
  pipeline: itemModel('pipeline', [
    ...itemProps,
    ...jobProps,
    prop('concurrentBuild', 1, () => true),
    prop('resumeBlocked', 1, () => false),
  ]),
  folder: itemModel('folder', [...itemProps, ...folderProps]),
  multibranch: itemModel('multibranch', [...itemProps, ...folderProps]),
  'organization-folder': itemModel('organization-folder', [...itemProps, ...folderProps]),
};

/** An item as an exportable bean. */
export function itemBean(node: ItemNode): Bean<ItemNode> {
  return new Bean(ITEM_MODELS[node.kind], node);
}

// ---------------------------------------------------------------- root

const rootModel: Model<Store> = {
  cls: 'hudson.model.Hudson',
  props: [
    prop('assignedLabels', 1, (_s, ctx) => builtInLabels(ctx).map((l) => new Bean(labelModel, l))),
    prop('mode', 1, () => 'NORMAL'),
    prop('nodeDescription', 1, () => "the Jenkins controller's built-in node"),
    prop('nodeName', 1, () => ''),
    prop('numExecutors', 1, (_s, ctx) => ctx.computers.find((c) => c.builtIn)?.numExecutors ?? 0),
    prop('description', 1, () => null),
    prop('jobs', 1, (s) => s.children.map(itemBean)),
    prop('overallLoad', 1, () => new Bean(overallLoadModel, null)),
    prop('primaryView', 1, (s) => defaultView(s, '', 'root')),
    prop('quietingDown', 1, () => false),
    prop('slaveAgentPort', 1, () => 50000),
    prop('unlabeledLoad', 1, () => emptyBean()),
    prop('useCrumbs', 1, (_s, ctx) => ctx.useCrumbs),
    prop('useSecurity', 1, (_s, ctx) => ctx.useSecurity),
    prop('views', 1, (s) => [defaultView(s, '', 'root')]),
  ],
};

function builtInLabels(ctx: SimContext): string[] {
  const builtIn = ctx.computers.find((c) => c.builtIn);
  return builtIn ? computerLabels(builtIn) : ['built-in'];
}

/** The root object (`hudson.model.Hudson`). */
export function rootBean(store: Store): Bean<Store> {
  return new Bean(rootModel, store);
}

// ---------------------------------------------------------------- queue

/** Class of a queue item, from its state. */
export function queueItemClass(q: QueueEntry): string {
  if (q.blocked) return 'hudson.model.Queue$BlockedItem';
  if (q.buildable) return 'hudson.model.Queue$BuildableItem';
  return 'hudson.model.Queue$WaitingItem';
}

const bareTaskModel: Model<string> = {
  cls: 'hudson.model.FreeStyleProject',
  props: [
    prop<string>('name', 999, (fullName) => fullName.split('/').pop()),
    prop<string>('url', 999, (fullName, ctx) => `${ctx.base}${fullName.split('/').map((s) => `job/${rawEncode(s)}/`).join('')}`),
    prop<string>('color', 2, () => 'notbuilt'),
  ],
};

const queueItemModel: Model<QueueEntry> = {
  classOf: queueItemClass,
  props: [
    prop('actions', 1, () => []),
    prop('blocked', 1, (q) => q.blocked),
    prop('buildable', 1, (q) => q.buildable),
    prop('id', 1, (q) => q.id),
    prop('inQueueSince', 1, (q) => q.inQueueSince),
    prop('params', 1, (q) => q.params),
    prop('stuck', 1, (q) => q.stuck),
    prop('task', 1, (q, ctx) => {
      const node = ctx.store.find(q.task);
      return node ? itemBean(node) : new Bean(bareTaskModel, q.task);
    }),
    prop('url', 1, (q) => `queue/item/${q.id}/`),
    prop('why', 1, (q) => q.why),
    // NotWaitingItem / BuildableItem / WaitingItem extras, in class order.
    ...[
      prop<QueueEntry>('buildableStartMilliseconds', 1, (q) => q.inQueueSince),
      prop<QueueEntry>('pending', 1, () => false),
      prop<QueueEntry>('timestamp', 1, (q) => q.inQueueSince),
    ],
  ],
};

// Queue items of different classes export different extras: pick per class.
const QUEUE_EXTRAS: Record<string, ReadonlySet<string>> = {
  'hudson.model.Queue$BlockedItem': new Set(['buildableStartMilliseconds']),
  'hudson.model.Queue$BuildableItem': new Set(['buildableStartMilliseconds', 'pending']),
  'hudson.model.Queue$WaitingItem': new Set(['timestamp']),
};
const QUEUE_BASE = new Set(queueItemModel.props.slice(0, 10).map((p) => p.name));
const QUEUE_MODELS = new Map<string, Model<QueueEntry>>(
  Object.entries(QUEUE_EXTRAS).map(([cls, extras]) => [
    cls,
    { cls, props: queueItemModel.props.filter((p) => QUEUE_BASE.has(p.name) || extras.has(p.name)) },
  ]),
);

/** A queue item as an exportable bean. */
export function queueItemBean(q: QueueEntry): Bean<QueueEntry> {
  return new Bean(QUEUE_MODELS.get(queueItemClass(q))!, q);
}

const queueModel: Model<readonly QueueEntry[]> = {
  cls: 'hudson.model.Queue',
  props: [
    prop('discoverableItems', 1, () => []),
    prop('items', 1, (items) => items.map(queueItemBean), true),
  ],
};

/** The queue (`hudson.model.Queue`). */
export function queueBean(items: readonly QueueEntry[]): Bean<readonly QueueEntry[]> {
  return new Bean(queueModel, items);
}

// ---------------------------------------------------------------- computers

function computerLabels(c: SimComputer): string[] {
  return c.labels ?? (c.builtIn ? ['built-in'] : [c.name]);
}

function isOffline(c: SimComputer): boolean {
  return (c.offline ?? false) || (c.temporarilyOffline ?? false);
}

function busyOf(c: SimComputer): number {
  return Math.max(0, Math.min(c.numExecutors, c.busyExecutors ?? 0));
}

interface ExecutorTarget {
  readonly number: number;
  readonly busy: boolean;
}

const executorModel: Model<ExecutorTarget> = {
    props: [
    prop<ExecutorTarget>('currentExecutable', 1, (e) => (e.busy ? emptyBean(BUILD_CLASS.freestyle) : null)),
    prop<ExecutorTarget>('idle', 1, (e) => !e.busy),
    prop<ExecutorTarget>('likelyStuck', 1, () => false),
    prop<ExecutorTarget>('number', 1, (e) => e.number),
    prop<ExecutorTarget>('progress', 1, (e) => (e.busy ? 50 : -1)),
  ],
};

const offlineCauseModel: Model<SimComputer> = {
  cls: 'hudson.slaves.OfflineCause$UserCause',
  props: [prop<SimComputer>('description', 1, (c) => c.offlineCauseReason ?? '')],
};

function defaultMonitorData(c: SimComputer): Record<string, unknown> {
  const online = !isOffline(c);
  return {
    'hudson.node_monitors.ArchitectureMonitor': online ? 'Linux (amd64)' : null,
    'hudson.node_monitors.ClockMonitor': online ? { _class: 'hudson.util.ClockDifference', diff: 0 } : null,
  };
}

const computerProps: Prop<SimComputer>[] = [
  prop('actions', 1, () => []),
  prop('assignedLabels', 1, (c) => computerLabels(c).map((l) => new Bean(labelModel, l))),
  prop('description', 1, (c) => c.description ?? (c.builtIn ? "the Jenkins controller's built-in node" : '')),
  prop('displayName', 1, (c) => c.name),
  prop('executors', 1, (c) => {
    const busy = busyOf(c);
    return Array.from({ length: c.numExecutors }, (_, i) => new Bean(executorModel, { number: i, busy: i < busy }));
  }),
  prop('icon', 1, (c) => (isOffline(c) ? 'symbol-computer-offline' : 'symbol-computer')),
  prop('iconClassName', 1, (c) => (isOffline(c) ? 'symbol-computer-offline' : 'symbol-computer')),
  prop('idle', 1, (c) => busyOf(c) === 0),
  prop('jnlpAgent', 1, (c) => c.jnlpAgent ?? false),
  prop('launchSupported', 1, (c) => !(c.jnlpAgent ?? false)),
  prop('loadStatistics', 1, () => emptyBean('hudson.model.Label$1')),
  prop('manualLaunchAllowed', 1, () => true),
  prop('monitorData', 1, (c) => c.monitorData ?? defaultMonitorData(c)),
  prop('numExecutors', 1, (c) => c.numExecutors),
  prop('offline', 1, isOffline),
  prop('offlineCause', 1, (c) => (c.temporarilyOffline ? new Bean(offlineCauseModel, c) : null)),
  prop('offlineCauseReason', 1, (c) => (isOffline(c) ? (c.offlineCauseReason ?? '') : '')),
  prop('oneOffExecutors', 1, () => []),
  prop('temporarilyOffline', 1, (c) => c.temporarilyOffline ?? false),
];

const masterComputerModel: Model<SimComputer> = { cls: 'hudson.model.Hudson$MasterComputer', props: computerProps };
const agentComputerModel: Model<SimComputer> = {
  cls: 'hudson.slaves.SlaveComputer',
  props: [...computerProps, prop('absoluteRemotePath', 1, (c) => (isOffline(c) ? null : '/home/jenkins/agent'))],
};

/** A node as an exportable bean. */
export function computerBean(c: SimComputer): Bean<SimComputer> {
  return new Bean(c.builtIn ? masterComputerModel : agentComputerModel, c);
}

const computerSetModel: Model<readonly SimComputer[]> = {
  cls: 'hudson.model.ComputerSet',
  props: [
    prop('busyExecutors', 1, (cs) => cs.filter((c) => !isOffline(c)).reduce((n, c) => n + busyOf(c), 0)),
    prop('computer', 1, (cs) => cs.map(computerBean), true),
    prop('displayName', 1, () => 'Nodes'),
    prop('totalExecutors', 1, (cs) => cs.filter((c) => !isOffline(c)).reduce((n, c) => n + c.numExecutors, 0)),
  ],
};

/** The node list (`hudson.model.ComputerSet`). */
export function computerSetBean(computers: readonly SimComputer[]): Bean<readonly SimComputer[]> {
  return new Bean(computerSetModel, computers);
}

/** URL name of a node: `(built-in)` for the controller, its name otherwise. */
export function computerUrlName(c: SimComputer): string {
  return c.builtIn ? '(built-in)' : c.name;
}

// ---------------------------------------------------------------- crumb

const crumbModel: Model<string> = {
  cls: 'hudson.security.csrf.DefaultCrumbIssuer',
  props: [prop<string>('crumb', 1, (c) => c), prop<string>('crumbRequestField', 1, () => 'Jenkins-Crumb')],
};

/** The crumb issuer (`hudson.security.csrf.DefaultCrumbIssuer`). */
export function crumbBean(crumb: string): Bean<string> {
  return new Bean(crumbModel, crumb);
}
