/**
 * `@muster/exporter`: the fastify app and the `muster` command line.
 *
 * @packageDocumentation
 */
export { buildServer, type ServerOptions } from './server.js';
export { createCommandContext, type CommandContext, type CommandContextOptions } from './command-context.js';
