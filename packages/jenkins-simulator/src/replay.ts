/**
 * Turn a captured Jenkins response (`/api/json?tree=jobs[…]` or `depth=N`) back into
 * {@link SimItem}s so the simulator can serve it again.
 *
 * @packageDocumentation
 */
import { ITEM_CLASS } from './beans/model.js';
import { isBallColor } from './store.js';
import type { BuildResult, ItemKind, SimBuild, SimItem } from './types.js';

const KIND_BY_CLASS = new Map<string, ItemKind>(
  (Object.entries(ITEM_CLASS) as [ItemKind, string][]).map(([kind, cls]) => [cls, kind]),
);

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * A build record. When the capture did not select `result`, the permalink it came from
 * implies one (`implied`); failing that it is taken as a completed SUCCESS.
 */
function toBuild(v: unknown, implied: BuildResult = 'SUCCESS'): SimBuild | undefined {
  if (!isObject(v) || typeof v.number !== 'number') return undefined;
  const result = 'result' in v ? (typeof v.result === 'string' ? (v.result as BuildResult) : null) : implied;
  const b: SimBuild = { number: v.number, result };
  if (typeof v.duration === 'number') b.duration = v.duration;
  if (typeof v.timestamp === 'number') b.timestamp = v.timestamp;
  if (typeof v.building === 'boolean') b.building = v.building;
  if (typeof v.estimatedDuration === 'number') b.estimatedDuration = v.estimatedDuration;
  return b;
}

function toItem(v: Json, where: string): SimItem {
  if (typeof v.name !== 'string') throw new TypeError(`${where}: every job needs a "name" to be replayed`);
  const cls = typeof v._class === 'string' ? v._class : undefined;
  const known = cls ? KIND_BY_CLASS.get(cls) : undefined;
  const kind: ItemKind = known ?? (Array.isArray(v.jobs) ? 'folder' : 'freestyle');
  const item: SimItem = { name: v.name, kind };
  if (cls && !known) item.className = cls;
  if (Array.isArray(v.jobs)) {
    item.children = v.jobs.filter(isObject).map((c, i) => toItem(c, `${where}/${String(c.name ?? i)}`));
  }
  if (kind !== 'folder' && kind !== 'multibranch' && kind !== 'organization-folder') {
    if (isBallColor(v.color)) item.color = v.color;
    const builds = new Map<number, SimBuild>();
    const add = (b: SimBuild | undefined) => {
      if (b && !builds.has(b.number)) builds.set(b.number, b);
    };
    // Fuller records first: lastBuild usually carries result/timestamp when selected.
    add(toBuild(v.lastBuild));
    add(toBuild(v.lastCompletedBuild));
    add(toBuild(v.lastSuccessfulBuild));
    add(toBuild(v.lastFailedBuild, 'FAILURE'));
    add(toBuild(v.lastStableBuild));
    if (Array.isArray(v.builds)) for (const b of v.builds) add(toBuild(b));
    if (builds.size > 0) item.builds = [...builds.values()];
    if (typeof v.buildable === 'boolean' && !v.buildable) item.disabled = true;
  }
  if (typeof v.description === 'string' || v.description === null) item.description = v.description;
  if (typeof v.displayName === 'string' && v.displayName !== v.name) item.displayName = v.displayName;
  else if (typeof v.displayNameOrNull === 'string') item.displayName = v.displayNameOrNull;
  return item;
}

/**
 * Items of a captured Jenkins root (or folder) response: every object in `jobs` (recursively)
 * becomes an item; `_class` picks the kind (unknown classes are kept as `className`, as a
 * folder when they have `jobs`, else as a job); `color`, `description`, `displayName` and
 * builds found in `lastBuild`, `lastCompletedBuild`, `lastSuccessfulBuild`, `lastFailedBuild`,
 * `lastStableBuild` and `builds` are kept. Absolute URLs are not: the simulator serves its own.
 */
export function itemsFromJenkinsJson(json: unknown): SimItem[] {
  if (!isObject(json) || !Array.isArray(json.jobs)) {
    throw new TypeError('json: expected a Jenkins response object with a "jobs" array');
  }
  return json.jobs.filter(isObject).map((j, i) => toItem(j, String(j.name ?? i)));
}
