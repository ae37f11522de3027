import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ITEM_CLASS } from './beans/model.js';
import { generatedTotals } from './generate.js';
import { type JenkinsSimulator, startJenkinsSimulator } from './server.js';
import { type ItemKind, ITEM_KINDS, type SimStats } from './types.js';

type Json = Record<string, unknown>;
const KIND_OF = new Map<string, ItemKind>(ITEM_KINDS.map((k) => [ITEM_CLASS[k], k]));

/** Count what a served tree=jobs[…] response contains, independently of the simulator's own counting. */
function countServed(items: Json[], into: SimStats = emptyStats()): SimStats {
  for (const item of items) {
    const kind = KIND_OF.get(String(item._class));
    assert.ok(kind, `unknown _class ${String(item._class)}`);
    into.byKind[kind]++;
    if (Array.isArray(item.jobs)) {
      assert.equal('color' in item, false, 'folders have no color');
      into.folders++;
      countServed(item.jobs as Json[], into);
    } else {
      into.jobs++;
      const color = item.color as keyof SimStats['byColor'];
      into.byColor[color] = (into.byColor[color] ?? 0) + 1;
    }
  }
  return into;
}

function emptyStats(): SimStats {
  return {
    jobs: 0,
    folders: 0,
    byKind: Object.fromEntries(ITEM_KINDS.map((k) => [k, 0])) as Record<ItemKind, number>,
    byColor: {},
  };
}

// 300 folders × 3 levels × 22 jobs + 32 multibranch projects × 3 branches + 104 root jobs = 20 000 jobs.
const GENERATE = { folders: 300, depth: 3, jobsPerFolder: 22, rootJobs: 104 };
// Deep enough for folder → level2 → level3 → multibranch → branch.
const TREE = 'jobs[name,color,jobs[name,color,jobs[name,color,jobs[name,color,jobs[name,color]]]]]';

describe('a 20 000-job generated tree', () => {
  let sim: JenkinsSimulator;
  before(async () => {
    sim = await startJenkinsSimulator({ generate: GENERATE });
  });
  after(() => sim.close());

  it('has the documented totals', () => {
    const totals = generatedTotals(GENERATE);
    assert.equal(totals.jobs, 20_000);
    const stats = sim.stats();
    assert.equal(stats.jobs, 20_000);
    assert.equal(stats.folders, totals.folders);
  });

  // How fast is measured side by side with a baseline in bench/ (bench/src/jenkins), not here.
  it('serves the whole tree in one nested tree= request', async () => {
    const res = await fetch(`${sim.url}api/json?tree=${TREE}`);
    const body = (await res.json()) as Json;
    assert.equal(res.status, 200);
    // Walking the served JSON gives exactly the simulator's own stats.
    assert.deepEqual(countServed(body.jobs as Json[]), sim.stats());
  });

  it('serves a deep folder quickly, and stats follow deletions', async () => {
    const folder = (await (await fetch(`${sim.url}job/folder-007/job/level2-0/api/json?tree=jobs[name]`)).json()) as Json;
    assert.equal((folder.jobs as Json[]).length, 22 + 1);
    const before = sim.stats();
    sim.deleteJob('folder-007/level2-0');
    const after = sim.stats();
    assert.equal(before.jobs - after.jobs, 44); // level2-0 and level3-0, 22 jobs each
    assert.equal(before.folders - after.folders, 2);
    const served = (await (await fetch(`${sim.url}api/json?tree=${TREE}`)).json()) as Json;
    assert.deepEqual(countServed(served.jobs as Json[]), after);
  });
});
