import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type ValidatorFactory = NonNullable<CompilersFactory['buildValidator']>;
type SerializerFactory = NonNullable<CompilersFactory['buildSerializer']>;
/** What both factories are called with by fastify: the shared schemas and the server's compiler options. */
type Factory = (externalSchemas: unknown, options: unknown) => unknown;

/** Loads a package the way fastify itself does: from fastify's own folder, so the version is the one fastify depends on. */
function requireFromFastify<T>(name: string): T {
  return createRequire(import.meta.resolve('fastify'))(name) as T;
}

let validatorFactory: Factory | undefined;
let serializerFactory: Factory | undefined;

/**
 * fastify's schema compilers (`@fastify/ajv-compiler` with ajv and ajv-formats, and
 * `@fastify/fast-json-stringify-compiler`), loaded on the first route that declares a schema
 * instead of when the server is built. fastify requires both when it builds a server unless they
 * are given; muster's routes declare no schema, so loading them at start only costs memory
 * (about 4 MiB resident). A route with a schema still validates and serializes as fastify's
 * defaults do, with one difference fastify makes for any compiler given this way: a `headers`
 * schema is compiled as written, not with its property names lowercased, so write header names
 * in lowercase.
 */
export function lazySchemaCompilers(): CompilersFactory {
  return {
    buildValidator: ((externalSchemas, options) => {
      validatorFactory ??= requireFromFastify<() => Factory>('@fastify/ajv-compiler')();
      return validatorFactory(externalSchemas, options);
    }) satisfies Factory as ValidatorFactory,
    buildSerializer: ((externalSchemas, options) => {
      serializerFactory ??= requireFromFastify<() => Factory>('@fastify/fast-json-stringify-compiler')();
      return serializerFactory(externalSchemas, options);
    }) satisfies Factory as SerializerFactory,
  };
}
