/**
 * A deterministic generator of large Jenkins trees ("300 folders × 3 levels × 20 jobs").
 *
 * Shape, with F = `folders`, D = `depth`, S = `subfolders`, J = `jobsPerFolder`,
 * M = `multibranch`, B = `branchesPerMultibranch`, O = `organizationFolders`,
 * R = `reposPerOrganization`, T = `rootJobs`:
 *
 * - F top-level folders `folder-000…`. Each folder at level L < D holds S sub-folders
 *   `level<L+1>-<k>`; so there are F × (1 + S + … + S^(D-1)) plain folders.
 * - Every plain folder, at every level, holds J jobs `job-000…` (freestyle, pipeline or
 *   matrix, by the `kinds` weights).
 * - M multibranch projects `service-000…`, spread round-robin over the top-level folders
 *   (project m goes into top-level folder m mod F), each with B pipeline branches.
 * - O organization folders `org-0…` at the root, each with R multibranch projects `repo-0…`,
 *   each with B branches.
 * - T plain jobs at the root.
 *
 * Totals (see {@link generatedTotals}): jobs = plainFolders × J + (M + O × R) × B + T;
 * folders = plainFolders + M + O × R + O.
 *
 * Names are realistic on purpose: about one job in 97 gets a ` (nightly)` suffix (a space and
 * parentheses in its URL) and one in 997 a non-ASCII name; branch names include Jenkins'
 * mangled forms such as `feature%2Flogin` (served as `feature%252Flogin` in URLs).
 *
 * @packageDocumentation
 */
import type { BaseColor, BuildResult, JobKind, SimBuild, SimItem } from './types.js';

/** Options of the generator. */
export interface GenerateOptions {
  /** Top-level folders (F). */
  folders: number;
  /** Folder levels below and including each top-level folder (D ≥ 1). */
  depth: number;
  /** Plain jobs in every plain folder (J). */
  jobsPerFolder: number;
  /** Sub-folders in each non-leaf folder (S); default 1. */
  subfolders?: number;
  /** PRNG seed; default 1. Same options and seed → same tree. */
  seed?: number;
  /** Relative weights of job kinds; default `{ freestyle: 5, pipeline: 4, matrix: 1 }`. */
  kinds?: Partial<Record<JobKind, number>>;
  /** Relative weights of base colors; default blue 60, red 12, yellow 8, notbuilt 6, disabled 6, aborted 5, grey 3. */
  colors?: Partial<Record<BaseColor, number>>;
  /** Share of built jobs whose last build is running (`_anime`); default 0.05. */
  buildingRatio?: number;
  /** Multibranch projects (M); default ⌊F / 10⌋. */
  multibranch?: number;
  /** Branches per multibranch project (B); default 3. */
  branchesPerMultibranch?: number;
  /** Organization folders (O); default 1 when F ≥ 20, else 0. */
  organizationFolders?: number;
  /** Multibranch projects per organization folder (R); default 2. */
  reposPerOrganization?: number;
  /** Plain jobs at the root (T); default 0. */
  rootJobs?: number;
  /** "Now" for build timestamps, epoch ms; default 2025-01-01T00:00:00Z (keeps output stable). */
  now?: number;
}

/** Expected counts for generator options, by formula. */
export interface GeneratedTotals {
  /** Plain folders (kind `folder`). */
  plainFolders: number;
  /** Multibranch projects, those inside organization folders included. */
  multibranch: number;
  organizationFolders: number;
  /** Branches of all multibranch projects. */
  branches: number;
  /** All buildable jobs (plain jobs + branches + root jobs). */
  jobs: number;
  /** All containers (plain folders + multibranch + organization folders). */
  folders: number;
}

const DEFAULT_KINDS: Record<JobKind, number> = { freestyle: 5, pipeline: 4, matrix: 1 };
const DEFAULT_COLORS: Record<BaseColor, number> = {
  blue: 60,
  red: 12,
  yellow: 8,
  notbuilt: 6,
  disabled: 6,
  aborted: 5,
  grey: 3,
};
const BRANCH_NAMES = ['main', 'develop', 'feature%2Flogin', 'PR-1', 'release%2F1.0', 'PR-2', 'hotfix%2Fcrash'];
const DEFAULT_NOW = Date.UTC(2025, 0, 1);

/** The tiny mulberry32 PRNG: 32-bit state, floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function resolve(o: GenerateOptions) {
  for (const [k, v] of Object.entries({ folders: o.folders, depth: o.depth, jobsPerFolder: o.jobsPerFolder })) {
    if (!Number.isInteger(v) || v < 0) throw new TypeError(`generate.${k} must be a non-negative integer`);
  }
  if (o.folders > 0 && o.depth < 1) throw new TypeError('generate.depth must be at least 1');
  const F = o.folders;
  return {
    F,
    D: o.depth,
    J: o.jobsPerFolder,
    S: o.subfolders ?? 1,
    M: F === 0 ? 0 : (o.multibranch ?? Math.floor(F / 10)),
    B: o.branchesPerMultibranch ?? 3,
    O: o.organizationFolders ?? (F >= 20 ? 1 : 0),
    R: o.reposPerOrganization ?? 2,
    T: o.rootJobs ?? 0,
  };
}

/** Counts the generator produces for these options, computed by formula (not by generating). */
export function generatedTotals(options: GenerateOptions): GeneratedTotals {
  const { F, D, J, S, M, B, O, R, T } = resolve(options);
  let perTop = 0;
  for (let l = 0; l < D; l++) perTop += S ** l;
  const plainFolders = F * perTop;
  const multibranch = M + O * R;
  const branches = multibranch * B;
  return {
    plainFolders,
    multibranch,
    organizationFolders: O,
    branches,
    jobs: plainFolders * J + branches + T,
    folders: plainFolders + multibranch + O,
  };
}

function pick<K extends string>(rng: () => number, weights: Record<K, number>): K {
  const entries = Object.entries(weights) as [K, number][];
  const total = entries.reduce((n, [, w]) => n + Math.max(0, w), 0);
  let x = rng() * total;
  for (const [k, w] of entries) {
    x -= Math.max(0, w);
    if (x < 0) return k;
  }
  return entries[entries.length - 1]![0];
}

const LAST_RESULT: Partial<Record<BaseColor, BuildResult>> = {
  blue: 'SUCCESS',
  red: 'FAILURE',
  yellow: 'UNSTABLE',
  aborted: 'ABORTED',
};

/** Generate a tree of {@link SimItem}s. */
export function generateTree(options: GenerateOptions): SimItem[] {
  const { F, D, J, S, M, B, O, R, T } = resolve(options);
  const rng = mulberry32(options.seed ?? 1);
  const kinds = { ...DEFAULT_KINDS, ...options.kinds };
  const colors = { ...DEFAULT_COLORS, ...options.colors };
  const buildingRatio = options.buildingRatio ?? 0.05;
  const now = options.now ?? DEFAULT_NOW;
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  let jobCounter = 0;

  const builds = (color: BaseColor): { builds: SimBuild[]; building: boolean } => {
    const canBuild = color !== 'disabled';
    const building = canBuild && rng() < buildingRatio;
    const completed = color === 'notbuilt' || color === 'grey' ? 0 : 1 + Math.floor(rng() * 5);
    const out: SimBuild[] = [];
    let t = now - Math.floor(rng() * 7 * 24 * 3600_000) - 3600_000;
    for (let i = 0; i < completed; i++) {
      const number = completed - i;
      const last = i === 0;
      const r = rng();
      const result: BuildResult = last
        ? (LAST_RESULT[color] ?? (r < 0.5 ? 'SUCCESS' : 'FAILURE'))
        : r < 0.7
          ? 'SUCCESS'
          : r < 0.9
            ? 'FAILURE'
            : 'UNSTABLE';
      const duration = 1000 + Math.floor(rng() * 600_000);
      out.push({ number, result, duration, timestamp: t });
      t -= 3600_000 + Math.floor(rng() * 3600_000);
    }
    if (building) {
      out.unshift({ number: completed + 1, result: null, building: true, duration: 0, timestamp: now - 60_000 });
    }
    return { builds: out, building };
  };

  const job = (name: string, kind: JobKind): SimItem => {
    const base = pick(rng, colors);
    const { builds: b, building } = builds(base);
    return {
      name,
      kind,
      color: building ? `${base}_anime` : base,
      disabled: base === 'disabled' ? true : undefined,
      builds: b,
    };
  };

  const jobName = (j: number): string => {
    const c = jobCounter++;
    const base = `job-${pad(j, 3)}`;
    if (c % 997 === 500) return `${base}-déploiement`;
    if (c % 97 === 13) return `${base} (nightly)`;
    return base;
  };

  const plainJobs = (): SimItem[] => {
    const out: SimItem[] = [];
    for (let j = 0; j < J; j++) out.push(job(jobName(j), pick(rng, kinds)));
    return out;
  };

  const multibranchProject = (name: string): SimItem => {
    const children: SimItem[] = [];
    for (let b = 0; b < B; b++) {
      const branch = BRANCH_NAMES[b] ?? `PR-${b}`;
      const item = job(branch, 'pipeline');
      // Branch API mangles "feature/login" into the item name "feature%2Flogin"; the display name keeps the slash.
      if (branch.includes('%')) item.displayName = decodeURIComponent(branch);
      children.push(item);
    }
    return { name, kind: 'multibranch', children };
  };

  const folder = (name: string, level: number): SimItem => {
    const children = plainJobs();
    if (level < D) for (let k = 0; k < S; k++) children.push(folder(`level${level + 1}-${k}`, level + 1));
    return { name, kind: 'folder', children };
  };

  const width = Math.max(3, String(Math.max(F, M) - 1).length);
  const tops: SimItem[] = [];
  for (let f = 0; f < F; f++) tops.push(folder(`folder-${pad(f, width)}`, 1));
  for (let m = 0; m < M; m++) tops[m % F]!.children!.push(multibranchProject(`service-${pad(m, width)}`));
  const root: SimItem[] = [...tops];
  for (let o = 0; o < O; o++) {
    const repos: SimItem[] = [];
    for (let r = 0; r < R; r++) repos.push(multibranchProject(`repo-${r}`));
    root.push({ name: `org-${o}`, kind: 'organization-folder', children: repos });
  }
  for (let t = 0; t < T; t++) root.push(job(`root-job-${pad(t, 3)}`, pick(rng, kinds)));
  return root;
}
