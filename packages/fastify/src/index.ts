/**
 * `@muster/fastify`: muster inside a fastify app.
 *
 * ```ts
 * import muster from '@muster/fastify';
 * await app.register(muster, { path: '/metrics' });
 * ```
 *
 * Everything of `@muster/app` (app metrics, `timed`, `createMuster`, the node:http handler) is
 * re-exported, so one import is enough.
 *
 * @packageDocumentation
 */
export * from '@muster/app';
export { muster as default, muster, type MusterFastifyOptions } from './plugin.js';
