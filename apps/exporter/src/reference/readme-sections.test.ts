import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from './generate.js';
import { REFERENCE_MARKER, referenceSections } from './readme-sections.js';

test('only the marked sections of a README are copied, without the marker, up to the next section', () => {
  const readme = ['# plugin', '', '## Kept', REFERENCE_MARKER, '', 'text', '### sub', 'more', '', '## Not kept', 'other', '## Also kept', REFERENCE_MARKER, 'last'].join('\n');
  assert.equal(referenceSections(readme), '## Kept\n\ntext\n### sub\nmore\n\n## Also kept\nlast');
  assert.equal(referenceSections('# nothing marked\n## Section\ntext'), '');
});

test("the postgres reference page carries the README's 'Behind a pooler' section", () => {
  const page = readFileSync(join(REPO_ROOT, 'docs/plugins/postgres.md'), 'utf8');
  const readme = readFileSync(join(REPO_ROOT, 'plugins/postgres/README.md'), 'utf8');
  const section = referenceSections(readme);
  assert.ok(section.startsWith('## Behind a pooler'));
  assert.ok(page.includes(section));
  // The old advice is gone: no pooler setting is needed.
  assert.doesNotMatch(page, /add .*ignore_startup_parameters|ignore_startup_parameters = /);
});
