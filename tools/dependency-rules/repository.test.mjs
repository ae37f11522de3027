/**
 * The repository keeps its dependency directions (rules.cjs): app → core → sdk, plugins → sdk,
 * no relative import into another package, no circles. A failure lists each violation.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { SOURCES, violations } from './cruise.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

test('no import of the repository breaks a dependency rule', () => {
  assert.deepEqual(violations(ROOT, 'tools/dependency-rules/rules.cjs', SOURCES), []);
});
