/**
 * Items (jobs, folders, multibranch projects, organization folders), their default view and
 * health report, and the queue (`hudson.model.Queue`) of builds they wait for: a job exports its
 * queue item, and a queue item its job, so both live here.
 */
import { rawEncode } from '../encode.js';
import { Bean, type Model, type Prop } from '../export.js';
import type { Container, ItemNode } from '../store.js';
import type { BuildResult, ItemKind } from '../types.js';
import { buildBean } from './builds.js';
import { emptyBean, ITEM_CLASS, prop, type QueueEntry } from './model.js';

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

/** The one view of a container: `all` at the root, `All` in a folder, `default` in a multibranch project or organization folder. */
export function defaultView(owner: Container, ownerPath: string, kind: ItemKind | 'root'): Bean<ViewTarget> {
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
