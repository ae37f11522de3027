/**
 * The exported shapes of the Jenkins classes the simulator serves, one file per part of Jenkins
 * (this one: the `_class` names and what every bean shares). Property names, order (superclass
 * first, alphabetical within a class, as Stapler writes them) and visibilities follow Jenkins
 * core and the folder, branch-api, workflow-job and matrix plugins.
 */
import { Bean, type ExportContext, type Model, type Prop } from '../export.js';
import type { Store } from '../store.js';
import type { ItemKind, SimComputer, SimQueueItem } from '../types.js';

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

/** One exported property: its name, visibility (depth) and getter. */
export function prop<T>(name: string, vis: number, get: (t: T, ctx: SimContext) => unknown, inline = false): Prop<T> {
  return { name, vis, inline, get: get as (t: T, ctx: ExportContext) => unknown };
}

const EMPTY: Model<unknown> = { props: [] };
/** A bean with no properties (and a `_class` when given). */
export const emptyBean = (cls?: string): Bean => new Bean<unknown>(cls ? { cls, props: [] } : EMPTY, null);

/** A label (`hudson.model.labels.LabelAtom`) by its name. */
export const labelModel: Model<string> = { props: [prop<string>('name', 2, (n) => n)] };
