/**
 * Public data types of the simulator: items (jobs and folders), builds, queue items, nodes.
 *
 * @packageDocumentation
 */

/** Kinds of buildable jobs. */
export type JobKind = 'freestyle' | 'pipeline' | 'matrix';
/** Kinds of containers. */
export type FolderKind = 'folder' | 'multibranch' | 'organization-folder';
/** Every kind of item the simulator serves. */
export type ItemKind = JobKind | FolderKind;

/** All item kinds, jobs first. */
export const ITEM_KINDS: readonly ItemKind[] = [
  'freestyle',
  'pipeline',
  'matrix',
  'folder',
  'multibranch',
  'organization-folder',
];

/** Job colors without the building suffix (Jenkins' `BallColor`, lower-cased). */
export type BaseColor = 'blue' | 'red' | 'yellow' | 'grey' | 'disabled' | 'aborted' | 'notbuilt';
/** A job's `color`: a base color, or the base color plus `_anime` while a build runs. */
export type BallColor = BaseColor | `${BaseColor}_anime`;

/** Every base color. */
export const BASE_COLORS: readonly BaseColor[] = ['blue', 'red', 'yellow', 'grey', 'disabled', 'aborted', 'notbuilt'];
/** Every color value Jenkins can put in a job's `color` field. */
export const BALL_COLORS: readonly BallColor[] = BASE_COLORS.flatMap((c) => [c, `${c}_anime` as const]);

/** A build result as Jenkins spells it. `null` while the build runs. */
export type BuildResult = 'SUCCESS' | 'UNSTABLE' | 'FAILURE' | 'NOT_BUILT' | 'ABORTED';

/** One build (run) of a job. */
export interface SimBuild {
  /** Build number, unique within the job. */
  number: number;
  /** Result; `null` (or omitted) while building. */
  result?: BuildResult | null;
  /** Duration in milliseconds (0 while building, as in Jenkins). */
  duration?: number;
  /** Start time, epoch milliseconds. */
  timestamp?: number;
  /** True while the build runs. Defaults to `result == null`. */
  building?: boolean;
  /** Estimated duration in milliseconds; defaults to `duration`. */
  estimatedDuration?: number;
}

/** A job or folder of the simulated Jenkins. */
export interface SimItem {
  /** Item name (no `/`); unique among its siblings. */
  name: string;
  kind: ItemKind;
  /**
   * Job color. When omitted it is derived from the builds as Jenkins does: no builds →
   * `notbuilt`; otherwise the last completed build's result (SUCCESS → blue, UNSTABLE →
   * yellow, FAILURE → red, ABORTED → aborted, NOT_BUILT → notbuilt), plus `_anime` when the
   * last build is still running; `disabled` when `disabled` is set. Folders have no color.
   */
  color?: BallColor;
  /** Children of a folder, multibranch project (pipeline branches) or organization folder (multibranch projects). */
  children?: SimItem[];
  /** The last build; shorthand for `builds: [lastBuild]`. */
  lastBuild?: SimBuild;
  /** Builds, any order (served newest first). Wins over `lastBuild` when both are given. */
  builds?: SimBuild[];
  /** `description` field. Jobs default to `""`, folders to `null`, as new items in Jenkins. */
  description?: string | null;
  /** Display name, when it differs from `name` (`displayNameOrNull`). */
  displayName?: string;
  /** Disabled job (`buildable: false`, color `disabled`). */
  disabled?: boolean;
  /** Override `_class` (used when replaying captured responses with plugin job types). */
  className?: string;
}

/** A queue item (`/queue/api/json` `items[]`). */
export interface SimQueueItem {
  /** Queue id. */
  id: number;
  /** Full name of the queued job (`folder/job`). Unknown names are served as a bare task. */
  task: string;
  /** Epoch milliseconds; defaults to the time the queue was set. */
  inQueueSince?: number;
  /** Why it waits, e.g. "Waiting for next available executor". */
  why?: string | null;
  stuck?: boolean;
  /** Blocked items are `hudson.model.Queue$BlockedItem`. */
  blocked?: boolean;
  /** Buildable items are `hudson.model.Queue$BuildableItem`; neither blocked nor buildable → `$WaitingItem`. Default true. */
  buildable?: boolean;
  /** Build parameters as Jenkins renders them (`"\nA=1"`); default `""`. */
  params?: string;
}

/** A node (`/computer/api/json` `computer[]`). */
export interface SimComputer {
  /** Display name; the built-in node is "Built-In Node". */
  name: string;
  /** The controller's built-in node (`hudson.model.Hudson$MasterComputer`). */
  builtIn?: boolean;
  numExecutors: number;
  /** Executors currently running a build (0..numExecutors). */
  busyExecutors?: number;
  offline?: boolean;
  /** Marked offline by a user; implies offline. */
  temporarilyOffline?: boolean;
  offlineCauseReason?: string;
  /** Label names; defaults to `built-in` for the built-in node, the node name otherwise. */
  labels?: string[];
  description?: string;
  jnlpAgent?: boolean;
  /** `monitorData` map as served; defaults to a small realistic set. */
  monitorData?: Record<string, unknown>;
}

/** Counts over the served tree. */
export interface SimStats {
  /** Buildable jobs: freestyle + pipeline (multibranch branches included) + matrix. */
  jobs: number;
  /** Containers: folder + multibranch + organization-folder. */
  folders: number;
  /** Items per kind. */
  byKind: Record<ItemKind, number>;
  /** Jobs per served `color` value (only colors that occur). */
  byColor: Partial<Record<BallColor, number>>;
}
