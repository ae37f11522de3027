// Helpers for this package's tests (not exported by the package).
import { fileURLToPath } from 'node:url';

/** The test plugins: @muster/app's (this package builds on it). */
export const FIXTURES = fileURLToPath(new URL('../test-fixtures/', import.meta.resolve('@muster/app')));

/** promtool: skip locally when missing, fail in CI; and its check. */
export { promtoolCheck, toolSkip } from '@muster/testing';
