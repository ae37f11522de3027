import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { parse, parseDocument } from 'yaml';

/** A pnpm or npm workspace a folder sits in. */
export interface Workspace {
  readonly kind: 'pnpm' | 'npm';
  /** The folder holding pnpm-workspace.yaml, or the package.json with `workspaces`. */
  readonly root: string;
  /** Its package globs (`packages/*`). */
  readonly globs: readonly string[];
}

function npmWorkspaces(pkgFile: string): string[] | undefined {
  try {
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { workspaces?: string[] | { packages?: string[] } };
    const ws = Array.isArray(pkg.workspaces) ? pkg.workspaces : pkg.workspaces?.packages;
    return Array.isArray(ws) ? ws : undefined;
  } catch {
    return undefined;
  }
}

/** The nearest pnpm or npm workspace whose root is `dir` or one of its parents; undefined when none. */
export function findWorkspace(dir: string): Workspace | undefined {
  for (let here = dir; ; here = dirname(here)) {
    const pnpmFile = join(here, 'pnpm-workspace.yaml');
    if (existsSync(pnpmFile)) {
      const doc = (parse(readFileSync(pnpmFile, 'utf8')) ?? {}) as { packages?: unknown };
      const globs = Array.isArray(doc.packages) ? doc.packages.filter((g): g is string => typeof g === 'string') : [];
      return { kind: 'pnpm', root: here, globs };
    }
    const globs = npmWorkspaces(join(here, 'package.json'));
    if (globs !== undefined) return { kind: 'npm', root: here, globs };
    if (dirname(here) === here) return undefined;
  }
}

/** The folder as a workspace glob would name it: relative to the root, with `/`. */
export function workspacePath(ws: Workspace, dir: string): string {
  return relative(ws.root, dir).split(sep).join('/');
}

/** True when one of the workspace's globs (negations included) takes in `dir`. */
export function isMember(ws: Workspace, dir: string): boolean {
  const path = workspacePath(ws, dir);
  const positive = ws.globs.filter((g) => !g.startsWith('!'));
  const negative = ws.globs.filter((g) => g.startsWith('!')).map((g) => g.slice(1));
  return picomatch.isMatch(path, positive) && (negative.length === 0 || !picomatch.isMatch(path, negative));
}

/** Adds `dir` to the workspace's packages (pnpm-workspace.yaml or package.json `workspaces`), unless a glob takes it in already. */
export function addToWorkspace(ws: Workspace, dir: string): boolean {
  if (isMember(ws, dir)) return false;
  const path = workspacePath(ws, dir);
  if (ws.kind === 'pnpm') {
    const file = join(ws.root, 'pnpm-workspace.yaml');
    const doc = parseDocument(readFileSync(file, 'utf8'));
    if (!doc.has('packages')) doc.set('packages', doc.createNode([]));
    doc.addIn(['packages'], path);
    writeFileSync(file, doc.toString());
  } else {
    const file = join(ws.root, 'package.json');
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { workspaces: string[] | { packages: string[] } };
    if (Array.isArray(pkg.workspaces)) pkg.workspaces.push(path);
    else pkg.workspaces.packages.push(path);
    writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  }
  return true;
}
