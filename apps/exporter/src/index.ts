/**
 * `@muster/exporter`: the fastify app and the `muster` command line.
 *
 * @packageDocumentation
 */
export { BUILTIN_PLUGINS } from './builtins.js';
export { buildServer, type ServerOptions } from './server.js';
export { createHost, type Host, type HostOptions } from './host.js';
