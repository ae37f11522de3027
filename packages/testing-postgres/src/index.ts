/**
 * `@muster/testing-postgres`: a real PostgreSQL, PgBouncer or hot standby on a free loopback
 * port, for the tests of plugins and apps that talk to one. Kept apart from `@muster/testing` so
 * a plugin author's test kit installs no database driver.
 *
 * @packageDocumentation
 */
export { findEmbeddedBinDir, findSystemBinDir, type PostgresBinaries } from './binaries.js';
export { type DatabaseEndpoint, type PostgresServer, type StartPostgresOptions, startPostgres } from './postgres.js';
export { freeTcpPort } from './service-process.js';
export { findPgBouncer, type PgBouncer, pgbouncerSkip, type StartPgBouncerOptions, startPgBouncer } from './pgbouncer.js';
export { replicaSkip, startReplica } from './replica.js';
