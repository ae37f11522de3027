import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { FAILURE_REASONS } from '@muster/core';
import { FAILURE_REASONS as HTTP_HEALTH_REASONS } from '@muster/plugin-http-health';
import { FAILURE_REASONS as POSTGRES_REASONS } from '@muster/plugin-postgres';
import { REPO_ROOT } from './testing/paths.js';

/**
 * docs/reliability.md names, for every fault, the test that inflicts it. These checks keep the
 * page and the tests in step: every test it names exists, with that exact name, in the file it
 * links; every fault-matrix test is on the page; every expected reason is one muster can give.
 */
const PAGE = 'docs/reliability.md';
const page = readFileSync(join(REPO_ROOT, PAGE), 'utf8');

/** `[label](path) › \`test name\`` references: the file (from the repository root) and the name. */
function references(): { file: string; name: string }[] {
  return [...page.matchAll(/\]\(([^)\s]+)\) › `([^`]+)`/g)].map((m) => ({
    file: relative(REPO_ROOT, resolve(dirname(join(REPO_ROOT, PAGE)), m[1] as string)),
    name: m[2] as string,
  }));
}

/** The names of the tests (`it(…)`, `test(…)`) a test source declares, as string literals. */
function testNames(source: string): Set<string> {
  const names = new Set<string>();
  for (const m of source.matchAll(/\b(?:it|test)\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g)) {
    names.add((m[2] as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c)));
  }
  return names;
}

describe('docs/reliability.md', () => {
  it('names only tests that exist, with that exact name, in the file it links', () => {
    const refs = references();
    assert.ok(refs.length >= 40, `expected the fault table and the other tables to name tests, found ${refs.length}`);
    const missing: string[] = [];
    const sources = new Map<string, Set<string>>();
    for (const { file, name } of refs) {
      assert.match(file, /\.test\.ts$/, `${file}: a test source`);
      const path = join(REPO_ROOT, file);
      assert.ok(existsSync(path), `${PAGE} links ${file}, which does not exist`);
      let names = sources.get(file);
      if (names === undefined) {
        names = testNames(readFileSync(path, 'utf8'));
        sources.set(file, names);
      }
      if (!names.has(name)) missing.push(`${file} › ${name}`);
    }
    assert.deepEqual(missing, [], `${PAGE} names tests that do not exist (renamed? update the page):\n${missing.join('\n')}`);
  });

  it('lists every test of the fault matrix', () => {
    const file = 'apps/exporter/src/e2e/faults.test.ts';
    const listed = new Set(references().filter((r) => r.file === file).map((r) => r.name));
    const declared = [...testNames(readFileSync(join(REPO_ROOT, file), 'utf8'))];
    assert.ok(declared.length >= 30, `faults.test.ts declares ${declared.length} tests`);
    const absent = declared.filter((name) => !listed.has(name));
    assert.deepEqual(absent, [], `fault-matrix tests missing from ${PAGE}:\n${absent.join('\n')}`);
  });

  it('expects only reasons muster and the plugins can give', () => {
    const known = new Set<string>(['none', ...FAILURE_REASONS, ...HTTP_HEALTH_REASONS, ...POSTGRES_REASONS]);
    let rows = 0;
    for (const line of page.split('\n')) {
      const cells = line.split('|').map((c) => c.trim());
      // | plugin | fault | expected reason | test |
      if (cells.length !== 6 || !['http-health', 'jenkins', 'postgres', 'any'].includes(cells[1] as string)) continue;
      rows++;
      const reason = /`([^`]+)`/.exec(cells[3] as string)?.[1];
      if (reason === undefined) continue;
      assert.ok(known.has(reason), `${PAGE}: "${reason}" is no failure reason, in: ${line}`);
    }
    assert.ok(rows >= 40, `found ${rows} rows`);
  });

  it('links only files that exist', () => {
    for (const m of page.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
      const target = m[1] as string;
      if (/^[a-z]+:/.test(target)) continue;
      assert.ok(existsSync(resolve(dirname(join(REPO_ROOT, PAGE)), target)), `${PAGE} links ${target}, which does not exist`);
    }
  });

  it('is linked from the documentation index', () => {
    assert.match(readFileSync(join(REPO_ROOT, 'docs/README.md'), 'utf8'), /\]\(reliability\.md\)/);
  });
});
