/**
 * The rule set refuses what it should: a fixture tree laid out like the repository holds one
 * import of each forbidden kind, beside allowed ones, and the check names exactly those.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { violations } from './cruise.mjs';

const FIXTURE = fileURLToPath(new URL('fixture/', import.meta.url));

test('each forbidden import of the fixture is refused, and only those', () => {
  assert.deepEqual(violations(FIXTURE, 'rules.cjs', ['packages/*/src', 'plugins/*/src', 'apps/*/src', 'bench/src']), [
    'core-imports-only-sdk: packages/core/src/kit-user.ts → packages/testing/src/index.ts',
    'no-circular: packages/sdk/src/b.ts → packages/sdk/src/index.ts',
    'no-import-of-a-build-output: bench/src/built.ts → ../../apps/exporter/dist/e2e/testing/soak.js',
    'no-reaching-into-another-package: bench/src/run.ts → apps/exporter/src/e2e/testing/soak.ts',
    'no-unresolved-package-of-ours: bench/src/typo.ts → @muster/exporter/internal',
    'plugins-import-only-sdk: plugins/bad/src/index.ts → packages/core/src/index.ts',
  ]);
});
