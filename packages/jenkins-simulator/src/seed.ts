/**
 * The simulator's starting state, checked: its URL prefix, its tree (given, generated or
 * replayed from a real Jenkins' JSON), its nodes and its queue.
 */
import type { QueueEntry } from './beans/model.js';
import { generateTree } from './generate.js';
import type { JenkinsSimulatorOptions } from './options.js';
import { itemsFromJenkinsJson } from './replay.js';
import type { SimComputer, SimItem, SimQueueItem } from './types.js';

/** A fresh Jenkins' nodes: the built-in one. */
export const DEFAULT_COMPUTERS: SimComputer[] = [{ name: 'Built-In Node', builtIn: true, numExecutors: 2 }];

/** The URL prefix as `/jenkins` (no trailing slash), or empty. */
export function normalizePrefix(prefix: string | undefined): string {
  if (!prefix || prefix === '/') return '';
  const p = `/${prefix.replace(/^\/+|\/+$/g, '')}`;
  if (/[?#]/.test(p)) throw new TypeError('prefix must be a plain path such as /jenkins');
  return p;
}

/** The tree to start with: at most one of `tree`, `generate` and `json`. */
export function initialItems(o: JenkinsSimulatorOptions): SimItem[] {
  const given = [o.tree, o.generate, o.json].filter((x) => x !== undefined).length;
  if (given > 1) throw new TypeError('give at most one of tree, generate and json');
  if (o.generate) return generateTree(o.generate);
  if (o.json !== undefined) return itemsFromJenkinsJson(o.json);
  return o.tree ?? [];
}

/** A copy of the nodes, each checked. */
export function checkComputers(computers: readonly SimComputer[]): SimComputer[] {
  return computers.map((c, i) => {
    if (typeof c?.name !== 'string' || c.name === '') throw new TypeError(`computers[${i}].name must be a non-empty string`);
    if (!Number.isInteger(c.numExecutors) || c.numExecutors < 0) {
      throw new TypeError(`computers[${i}].numExecutors must be a non-negative integer`);
    }
    return { ...c };
  });
}

function defaultWhy(blocked: boolean, buildable: boolean): string {
  if (blocked) return 'Build #1 is already in progress';
  if (buildable) return 'Waiting for next available executor';
  return 'In the quiet period. Expires in 4.9 sec';
}

/** The queue items with every field Jenkins shows filled in. */
export function normalizeQueue(items: readonly SimQueueItem[]): QueueEntry[] {
  const now = Date.now();
  return items.map((q, i) => {
    if (!Number.isInteger(q?.id)) throw new TypeError(`queue[${i}].id must be an integer`);
    if (typeof q.task !== 'string' || q.task === '') throw new TypeError(`queue[${i}].task must be a job's full name`);
    const blocked = q.blocked ?? false;
    const buildable = q.buildable ?? !blocked;
    return {
      id: q.id,
      task: q.task,
      inQueueSince: q.inQueueSince ?? now,
      why: q.why !== undefined ? q.why : defaultWhy(blocked, buildable),
      stuck: q.stuck ?? false,
      blocked,
      buildable,
      params: q.params ?? '',
    };
  });
}
