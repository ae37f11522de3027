/**
 * `@muster/testing`: run a collector in a test and read back what it exported.
 *
 * @packageDocumentation
 */
export { assertValidExposition, checkExposition } from './check.js';
export { type CollectOutcome, createHarness, type CycleResult, type Harness, type HarnessOptions } from './harness.js';
export { planOf, type PlanOptions } from './plan.js';
export { findSamples, type ParsedExposition, type ParsedFamily, type ParsedSample, parseExposition, sampleValue } from './parse.js';
export { type GzipMember, readGzipMembers } from './gzip-members.js';
export { promtoolCheck, requireTool, toolSkip } from './tools.js';
export { eventually, sleep } from './wait.js';
export { freePort } from './ports.js';
export { readmeSection, type SampleEntry, sampleConfigProblems, sampleEntries } from './sample-config.js';
export { type CertOptions, type KeyCert, selfSignedCert, type TestCa, testCa } from './certs.js';
export { silentLogger } from '@muster/sdk';
