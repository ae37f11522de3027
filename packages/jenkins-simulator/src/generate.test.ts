import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generatedTotals, generateTree, mulberry32 } from './generate.js';
import { Store } from './store.js';
import type { SimItem } from './types.js';

function* walk(items: SimItem[]): Generator<SimItem> {
  for (const i of items) {
    yield i;
    yield* walk(i.children ?? []);
  }
}

describe('mulberry32', () => {
  it('is deterministic and in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    for (let i = 0; i < 1000; i++) {
      const x = a();
      assert.equal(x, b());
      assert.ok(x >= 0 && x < 1);
    }
    assert.notEqual(mulberry32(1)(), mulberry32(2)());
  });
});

describe('generateTree', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const o = { folders: 12, depth: 2, jobsPerFolder: 5 };
    assert.deepEqual(generateTree({ ...o, seed: 7 }), generateTree({ ...o, seed: 7 }));
    assert.notDeepEqual(generateTree({ ...o, seed: 7 }), generateTree({ ...o, seed: 8 }));
  });

  it('produces the documented counts (300 folders × 3 levels × 20 jobs)', () => {
    const o = { folders: 300, depth: 3, jobsPerFolder: 20 };
    const totals = generatedTotals(o);
    assert.deepEqual(totals, {
      plainFolders: 900,
      multibranch: 32, // 30 in folders + 2 in the organization folder
      organizationFolders: 1,
      branches: 96,
      jobs: 900 * 20 + 96,
      folders: 900 + 32 + 1,
    });
    const stats = new Store(generateTree(o)).stats();
    assert.equal(stats.jobs, totals.jobs);
    assert.equal(stats.folders, totals.folders);
    assert.equal(stats.byKind.folder, totals.plainFolders);
    assert.equal(stats.byKind.multibranch, totals.multibranch);
    assert.equal(stats.byKind['organization-folder'], 1);
    assert.equal(stats.byKind.freestyle + stats.byKind.pipeline + stats.byKind.matrix, totals.jobs);
  });

  it('handles sub-folder fan-out, root jobs and explicit extras', () => {
    const o = {
      folders: 3,
      depth: 3,
      jobsPerFolder: 2,
      subfolders: 2,
      multibranch: 4,
      branchesPerMultibranch: 5,
      organizationFolders: 2,
      reposPerOrganization: 3,
      rootJobs: 7,
    };
    const t = generatedTotals(o);
    assert.equal(t.plainFolders, 3 * (1 + 2 + 4));
    assert.equal(t.jobs, 21 * 2 + (4 + 2 * 3) * 5 + 7);
    const stats = new Store(generateTree(o)).stats();
    assert.equal(stats.jobs, t.jobs);
    assert.equal(stats.folders, t.folders);
  });

  it('mixes kinds, colors (with _anime) and realistic names', () => {
    const items = [...walk(generateTree({ folders: 100, depth: 2, jobsPerFolder: 20 }))];
    const kinds = new Set(items.map((i) => i.kind));
    for (const k of ['freestyle', 'pipeline', 'matrix', 'folder', 'multibranch', 'organization-folder']) {
      assert.ok(kinds.has(k as SimItem['kind']), `missing kind ${k}`);
    }
    const colors = new Set(items.map((i) => i.color).filter(Boolean));
    for (const c of ['blue', 'red', 'yellow', 'disabled', 'aborted', 'notbuilt', 'grey', 'blue_anime']) {
      assert.ok(colors.has(c as SimItem['color']), `missing color ${c}`);
    }
    const names = items.map((i) => i.name);
    assert.ok(names.some((n) => n.includes(' (nightly)')));
    assert.ok(names.some((n) => [...n].some((c) => c.charCodeAt(0) > 127)));
    assert.ok(names.includes('feature%2Flogin'));
    // Folders never have a color; multibranch children are pipelines.
    for (const i of items) {
      if (i.kind === 'folder' || i.kind === 'multibranch' || i.kind === 'organization-folder') assert.equal(i.color, undefined);
      if (i.kind === 'multibranch') assert.ok(i.children!.every((c) => c.kind === 'pipeline'));
      if (i.kind === 'organization-folder') assert.ok(i.children!.every((c) => c.kind === 'multibranch'));
    }
  });

  it('keeps colors consistent with builds', () => {
    const store = new Store(generateTree({ folders: 20, depth: 2, jobsPerFolder: 10, seed: 3 }));
    for (const n of store.walk()) {
      if (!n.isJob) continue;
      const color = n.color!;
      const base = color.replace('_anime', '');
      assert.equal(color.endsWith('_anime'), n.builds[0]?.building ?? false, n.fullName);
      const last = n.lastCompletedBuild?.result;
      const expected: Record<string, string | undefined> = {
        blue: 'SUCCESS',
        red: 'FAILURE',
        yellow: 'UNSTABLE',
        aborted: 'ABORTED',
        notbuilt: undefined,
        grey: undefined,
      };
      if (base in expected) assert.equal(last, expected[base], `${n.fullName} ${color}`);
      if (base === 'disabled') assert.equal(n.isDisabled, true);
    }
  });

  it('rejects nonsense sizes', () => {
    assert.throws(() => generateTree({ folders: -1, depth: 1, jobsPerFolder: 1 }), /folders/);
    assert.throws(() => generateTree({ folders: 1, depth: 0, jobsPerFolder: 1 }), /depth/);
    assert.throws(() => generateTree({ folders: 1, depth: 1, jobsPerFolder: 1.5 }), /jobsPerFolder/);
  });
});
