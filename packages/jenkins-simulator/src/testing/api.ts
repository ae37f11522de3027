/**
 * The tree the API tests serve, and the fetch helpers they read the simulator with.
 */
import assert from 'node:assert/strict';
import type { SimItem } from '../types.js';

/** A JSON object as the API answers it. */
export type Json = Record<string, unknown>;

/** GETs (or sends `init`) and reads the whole answer. */
export async function get(url: string, init?: RequestInit): Promise<{ status: number; headers: Headers; body: string }> {
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, body: await res.text() };
}

/** GETs an `api/json` URL that must answer 200 with JSON. */
export async function json(url: string): Promise<Json> {
  const res = await fetch(url);
  assert.equal(res.status, 200, `${url} answered ${res.status}`);
  assert.equal(res.headers.get('content-type'), 'application/json;charset=utf-8');
  return (await res.json()) as Json;
}

/** The `jobs` of an answer. */
export const jobsOf = (o: unknown) => (o as Json).jobs as Json[];

/** Folders, nested jobs, a pipeline and ten freestyle jobs. */
export const TREE: SimItem[] = [
  {
    name: 'team a',
    kind: 'folder',
    description: 'Team A',
    children: [
      {
        name: 'build',
        kind: 'freestyle',
        builds: [
          { number: 1, result: 'SUCCESS', duration: 1000, timestamp: 1_700_000_000_000 },
          { number: 2, result: 'FAILURE', duration: 2000, timestamp: 1_700_000_100_000 },
          { number: 3, result: 'SUCCESS', duration: 3000, timestamp: 1_700_000_200_000 },
        ],
      },
      {
        name: 'nested',
        kind: 'folder',
        children: [
          { name: 'deep', kind: 'pipeline', lastBuild: { number: 9, result: 'UNSTABLE', duration: 5, timestamp: 7 } },
          { name: 'grid', kind: 'matrix', color: 'aborted' },
        ],
      },
      {
        name: 'service',
        kind: 'multibranch',
        children: [
          { name: 'main', kind: 'pipeline', lastBuild: { number: 4, result: 'SUCCESS' } },
          { name: 'feature%2Fx', kind: 'pipeline', displayName: 'feature/x', lastBuild: { number: 1, result: null } },
        ],
      },
    ],
  },
  {
    name: 'github',
    kind: 'organization-folder',
    children: [
      { name: 'repo', kind: 'multibranch', children: [{ name: 'main', kind: 'pipeline', color: 'blue' }] },
    ],
  },
  { name: 'solo', kind: 'pipeline', color: 'red_anime' },
  ...Array.from({ length: 10 }, (_, i): SimItem => ({ name: `many-${i}`, kind: 'freestyle', color: 'blue' })),
];
