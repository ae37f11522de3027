/**
 * The simulated item tree: validated nodes with their full names and URL paths computed
 * once, and the Jenkins rules that derive colors and "last build" pointers from builds.
 *
 * @packageDocumentation
 */
import { rawEncode } from './encode.js';
import {
  type BallColor,
  type BaseColor,
  type BuildResult,
  ITEM_KINDS,
  type ItemKind,
  type JobKind,
  type SimBuild,
  type SimItem,
  type SimStats,
} from './types.js';

/** A build with every field filled in. */
export interface Build {
  readonly number: number;
  readonly result: BuildResult | null;
  readonly duration: number;
  readonly timestamp: number;
  readonly building: boolean;
  readonly estimatedDuration: number;
}

/** Anything that holds items: the root or a container item. */
export interface Container {
  readonly children: ItemNode[];
  readonly byName: Map<string, ItemNode>;
}

/** True for buildable job kinds. */
export function isJobKind(kind: ItemKind): kind is JobKind {
  return kind === 'freestyle' || kind === 'pipeline' || kind === 'matrix';
}

const RESULT_COLOR: Record<BuildResult, BaseColor> = {
  SUCCESS: 'blue',
  UNSTABLE: 'yellow',
  FAILURE: 'red',
  ABORTED: 'aborted',
  NOT_BUILT: 'notbuilt',
};

const COLOR_SET = new Set<string>([
  'blue',
  'red',
  'yellow',
  'grey',
  'disabled',
  'aborted',
  'notbuilt',
].flatMap((c) => [c, `${c}_anime`]));

/** True when `value` is a color Jenkins can serve. */
export function isBallColor(value: unknown): value is BallColor {
  return typeof value === 'string' && COLOR_SET.has(value);
}

const RESULTS = new Set<string>(['SUCCESS', 'UNSTABLE', 'FAILURE', 'NOT_BUILT', 'ABORTED']);

function normalizeBuild(b: SimBuild, where: string): Build {
  if (!Number.isInteger(b.number) || b.number < 1) throw new TypeError(`${where}: build number must be a positive integer`);
  const result = b.result ?? null;
  if (result !== null && !RESULTS.has(result)) throw new TypeError(`${where}: unknown build result ${String(result)}`);
  const building = b.building ?? result === null;
  const duration = b.duration ?? 0;
  return {
    number: b.number,
    result: building ? null : result,
    duration,
    timestamp: b.timestamp ?? 0,
    building,
    estimatedDuration: b.estimatedDuration ?? (duration > 0 ? duration : -1),
  };
}

/** One job or container. */
export class ItemNode implements Container {
  readonly children: ItemNode[] = [];
  readonly byName = new Map<string, ItemNode>();
  /** `a/b/c`. */
  readonly fullName: string;
  /** URL path below the Jenkins root: `job/a/job/b/`. */
  readonly path: string;
  /** `A » B`, built from display names. */
  readonly fullDisplayName: string;
  description: string | null;
  displayName: string | undefined;
  disabled: boolean;
  explicitColor: BallColor | undefined;
  /** Newest first. */
  builds: Build[];

  constructor(
    readonly name: string,
    readonly kind: ItemKind,
    readonly parent: ItemNode | null,
    readonly className: string | undefined,
    item: SimItem,
  ) {
    this.fullName = parent ? `${parent.fullName}/${name}` : name;
    this.path = `${parent ? parent.path : ''}job/${rawEncode(name)}/`;
    const shown = item.displayName ?? name;
    this.fullDisplayName = parent ? `${parent.fullDisplayName} » ${shown}` : shown;
    this.description = item.description !== undefined ? item.description : isJobKind(kind) ? '' : null;
    this.displayName = item.displayName;
    this.disabled = item.disabled ?? false;
    this.explicitColor = item.color;
    this.builds = [];
  }

  get isJob(): boolean {
    return isJobKind(this.kind);
  }

  /** Builds newest first. */
  setBuilds(builds: readonly SimBuild[]): void {
    const normalized = builds.map((b) => normalizeBuild(b, this.fullName));
    normalized.sort((a, b) => b.number - a.number);
    for (let i = 1; i < normalized.length; i++) {
      if (normalized[i]!.number === normalized[i - 1]!.number) {
        throw new TypeError(`${this.fullName}: duplicate build number ${normalized[i]!.number}`);
      }
    }
    this.builds = normalized;
  }

  /** The served `color`, following Jenkins' rules (see {@link SimItem.color}). */
  get color(): BallColor | undefined {
    if (!this.isJob) return undefined;
    if (this.explicitColor) return this.explicitColor;
    const last = this.builds[0];
    const anime = last?.building ? '_anime' : '';
    let base: BaseColor;
    if (this.disabled) base = 'disabled';
    else {
      const completed = this.lastCompletedBuild;
      base = completed?.result ? RESULT_COLOR[completed.result] : 'notbuilt';
    }
    return `${base}${anime}` as BallColor;
  }

  /** Disabled flag as served: explicit, or implied by a `disabled` color. */
  get isDisabled(): boolean {
    return this.disabled || (this.explicitColor?.startsWith('disabled') ?? false);
  }

  get lastCompletedBuild(): Build | undefined {
    return this.builds.find((b) => !b.building);
  }

  /** First completed build matching `pred`, newest first (Jenkins' `lastXxxBuild` permalinks). */
  lastWhere(pred: (result: BuildResult) => boolean): Build | undefined {
    return this.builds.find((b) => !b.building && b.result !== null && pred(b.result));
  }
}

function checkName(name: unknown, where: string): string {
  if (typeof name !== 'string' || name.length === 0) throw new TypeError(`${where}: name must be a non-empty string`);
  if (name.includes('/')) throw new TypeError(`${where}: name must not contain "/" (got ${JSON.stringify(name)})`);
  if (name === '.' || name === '..') throw new TypeError(`${where}: name must not be "." or ".."`);
  return name;
}

/** The item tree behind the simulator. */
export class Store implements Container {
  readonly children: ItemNode[] = [];
  readonly byName = new Map<string, ItemNode>();

  constructor(items: readonly SimItem[] = []) {
    this.setTree(items);
  }

  /** Replace the whole tree (validated first: a bad tree leaves the old one in place). */
  setTree(items: readonly SimItem[]): void {
    const scratch: Container = { children: [], byName: new Map() };
    for (const item of items) this.build(scratch, null, item);
    this.children.splice(0, this.children.length, ...scratch.children);
    this.byName.clear();
    for (const [k, v] of scratch.byName) this.byName.set(k, v);
  }

  /** The container with this full name (`''` is the root). */
  container(fullName: string): Container | undefined {
    if (fullName === '') return this;
    const node = this.find(fullName);
    return node && !node.isJob ? node : undefined;
  }

  /** The item with this full name (`a/b/c`). */
  find(fullName: string): ItemNode | undefined {
    return this.findPath(fullName.split('/'));
  }

  /** The item reached by these names from the root. */
  findPath(names: readonly string[]): ItemNode | undefined {
    let at: Container = this;
    let node: ItemNode | undefined;
    for (const name of names) {
      node = at.byName.get(name);
      if (!node) return undefined;
      at = node;
    }
    return node;
  }

  /** Add an item (with its children) under the container `parentFullName` (`''` = root). */
  add(parentFullName: string, item: SimItem): ItemNode {
    const parent = parentFullName === '' ? null : this.find(parentFullName);
    if (parentFullName !== '' && (!parent || parent.isJob)) {
      throw new Error(`addJob: no folder named ${JSON.stringify(parentFullName)}`);
    }
    return this.build(parent ?? this, parent ?? null, item);
  }

  /** Remove an item (and everything below it). */
  delete(fullName: string): void {
    const node = this.find(fullName);
    if (!node) throw new Error(`deleteJob: no item named ${JSON.stringify(fullName)}`);
    const holder: Container = node.parent ?? this;
    holder.byName.delete(node.name);
    holder.children.splice(holder.children.indexOf(node), 1);
  }

  /** Set (or with `undefined`, clear) a job's explicit color. */
  setColor(fullName: string, color: BallColor | undefined): void {
    const node = this.find(fullName);
    if (!node?.isJob) throw new Error(`setColor: no job named ${JSON.stringify(fullName)}`);
    if (color !== undefined && !isBallColor(color)) throw new TypeError(`setColor: unknown color ${String(color)}`);
    node.explicitColor = color;
  }

  /** Add a build to a job (replacing a build with the same number). */
  addBuild(fullName: string, build: SimBuild): void {
    const node = this.find(fullName);
    if (!node?.isJob) throw new Error(`addBuild: no job named ${JSON.stringify(fullName)}`);
    const others = node.builds.filter((b) => b.number !== build.number);
    node.setBuilds([...others, build]);
  }

  /** Every item, depth first, parents before children. */
  *walk(from: Container = this): Generator<ItemNode> {
    for (const child of from.children) {
      yield child;
      yield* this.walk(child);
    }
  }

  /** Counts over the current tree. */
  stats(): SimStats {
    const byKind = Object.fromEntries(ITEM_KINDS.map((k) => [k, 0])) as Record<ItemKind, number>;
    const byColor: SimStats['byColor'] = {};
    let jobs = 0;
    let folders = 0;
    for (const node of this.walk()) {
      byKind[node.kind]++;
      if (node.isJob) {
        jobs++;
        const c = node.color!;
        byColor[c] = (byColor[c] ?? 0) + 1;
      } else folders++;
    }
    return { jobs, folders, byKind, byColor };
  }

  private build(holder: Container, parent: ItemNode | null, item: SimItem): ItemNode {
    const where = parent ? `${parent.fullName}/${String(item?.name)}` : String(item?.name);
    if (item === null || typeof item !== 'object') throw new TypeError(`${where}: item must be an object`);
    const name = checkName(item.name, where);
    if (!ITEM_KINDS.includes(item.kind)) throw new TypeError(`${where}: unknown kind ${JSON.stringify(item.kind)}`);
    if (holder.byName.has(name)) throw new Error(`${where}: an item with this name already exists`);
    if (item.color !== undefined && !isBallColor(item.color)) {
      throw new TypeError(`${where}: unknown color ${JSON.stringify(item.color)}`);
    }
    if (parent && item.className === undefined) {
      if (parent.kind === 'multibranch' && item.kind !== 'pipeline') {
        throw new TypeError(`${where}: multibranch projects contain pipeline branches only`);
      }
      if (parent.kind === 'organization-folder' && item.kind !== 'multibranch') {
        throw new TypeError(`${where}: organization folders contain multibranch projects only`);
      }
    }
    const node = new ItemNode(name, item.kind, parent, item.className, item);
    if (node.isJob) {
      if (item.children?.length) throw new TypeError(`${where}: a ${item.kind} job cannot have children`);
      node.setBuilds(item.builds ?? (item.lastBuild ? [item.lastBuild] : []));
    } else {
      if (item.color !== undefined) throw new TypeError(`${where}: folders have no color`);
      for (const child of item.children ?? []) this.build(node, node, child);
    }
    holder.children.push(node);
    holder.byName.set(name, node);
    return node;
  }
}
