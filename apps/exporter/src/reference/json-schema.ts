import { configFileSchema } from '@muster/core';
import { type Plugin, z } from '@muster/sdk';
import type { CatalogEntry } from './catalog.js';

/** A JSON Schema (draft-07) node. */
export type JsonSchema = { [key: string]: unknown };

/** The JSON Schema dialect written: draft-07, what editors (yaml-language-server) and ajv read best. */
export const DIALECT = 'http://json-schema.org/draft-07/schema#';

/** Formats JSON Schema tools know; zod writes a few of its own (`includes`) that they do not. */
const KNOWN_FORMATS = new Set(['date-time', 'date', 'time', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uri', 'uri-reference', 'uuid', 'regex']);

/** Where a value written with `${…}` is described. */
const INTERPOLATED_REF = '#/definitions/interpolated';
const INTERPOLATED: JsonSchema = {
  type: 'string',
  pattern: '\\$\\{[^}]*\\}',
  description: 'A value written with ${ENV}, ${ENV:-default} or ${file:PATH}, checked after muster interpolates it.',
};

function isObject(value: unknown): value is JsonSchema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Deep copy with `fn` applied to every schema node, bottom-up. `if` conditions are left alone. */
function mapSchema(node: unknown, fn: (schema: JsonSchema) => JsonSchema): unknown {
  if (Array.isArray(node)) return node.map((n) => mapSchema(n, fn));
  if (!isObject(node)) return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'if' || key === 'const' || key === 'enum' || key === 'default' || key === 'examples') out[key] = value;
    else if (key === 'properties' && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapSchema(v, fn)]));
    } else out[key] = mapSchema(value, fn);
  }
  return fn(out);
}

/** Drops formats other tools would reject (the pattern zod writes beside them still checks). */
function cleanFormats(schema: JsonSchema): JsonSchema {
  if (typeof schema.format === 'string' && !KNOWN_FORMATS.has(schema.format)) {
    const { format: _format, ...rest } = schema;
    return rest;
  }
  return schema;
}

/**
 * A string with a pattern, format or fixed values may also be written as `${…}`: the file is
 * checked after interpolation, so an editor must not flag `port: ${MUSTER_PORT:-9777}` or
 * `ca: ${file:ca.pem}`. Numbers and booleans stay strict: interpolation yields strings, which
 * their schemas refuse at load time too.
 */
function allowInterpolation(schema: JsonSchema): JsonSchema {
  const constrained = schema.pattern !== undefined || schema.format !== undefined || schema.enum !== undefined || schema.const !== undefined;
  if (schema.type !== 'string' || !constrained) return schema;
  const { description, default: fallback, ...inner } = schema;
  return {
    ...(description === undefined ? {} : { description }),
    ...(fallback === undefined ? {} : { default: fallback }),
    anyOf: [inner, { $ref: INTERPOLATED_REF }],
  };
}

/** zod → JSON Schema, the way muster writes every part of its schema. */
export function toJsonSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-7', unrepresentable: 'throw' }) as JsonSchema;
  delete json.$schema;
  return mapSchema(json, cleanFormats) as JsonSchema;
}

/** The JSON Schema of a plugin's `config` block. Throws when zod cannot represent it. */
export function pluginConfigJsonSchema(plugin: Plugin): JsonSchema {
  const json = toJsonSchema(plugin.configSchema);
  if (json.description === undefined && plugin.description !== undefined) json.description = `${plugin.name}: ${plugin.description}`;
  return json;
}

/** True when the plugin accepts an instance without a `config` block. */
export function configOptional(plugin: Plugin): boolean {
  return plugin.configSchema.safeParse({}).success;
}

/** The JSON Schema of core's keys alone (each `config` open), with defaults zod could not write. */
export function coreJsonSchema(): JsonSchema {
  const json = toJsonSchema(configFileSchema);
  // `server.port` is a union piped into a number: zod leaves its default out.
  const server = (json.properties as Record<string, JsonSchema>).server as JsonSchema;
  const serverDefaults = configFileSchema.shape.server.parse({}) as Record<string, unknown>;
  for (const [key, prop] of Object.entries(server.properties as Record<string, JsonSchema>)) {
    if (prop.default === undefined && serverDefaults[key] !== undefined) prop.default = serverDefaults[key];
  }
  return json;
}

/** Options of {@link musterJsonSchema}. */
export interface MusterSchemaOptions {
  readonly title?: string;
  /** Told about a plugin whose schema cannot be converted (its `config` stays open). */
  readonly onWarning?: (message: string) => void;
}

/**
 * Moves a plugin schema's own `definitions` (zod writes them for recursive or shared schemas)
 * into `into` under `prefix`, rewriting its `$ref`s to match.
 */
function hoistDefinitions(json: JsonSchema, prefix: string, into: JsonSchema): JsonSchema {
  const { definitions, ...rest } = json;
  if (!isObject(definitions)) return json;
  const rename = (node: JsonSchema): JsonSchema =>
    typeof node.$ref === 'string' && node.$ref.startsWith('#/definitions/') ? { ...node, $ref: `#/definitions/${prefix}${node.$ref.slice(14)}` } : node;
  for (const [name, def] of Object.entries(definitions)) into[`${prefix}${name}`] = mapSchema(def, rename);
  return mapSchema(rest, rename) as JsonSchema;
}

/**
 * The JSON Schema of a whole config file: core's keys, and for each plugin entry whose `use`
 * names a known plugin, that plugin's `config` schema (an `if`/`then` per plugin on `use`, so an
 * editor checks and completes `config` by the plugin in use). Entries naming other plugins keep
 * an open `config`: muster validates those when it loads them.
 */
export function musterJsonSchema(entries: readonly CatalogEntry[], options: MusterSchemaOptions = {}): JsonSchema {
  const core = coreJsonSchema();
  const properties = core.properties as Record<string, JsonSchema>;
  const plugins = properties.plugins as JsonSchema;
  const item = plugins.items as JsonSchema;
  const itemProps = item.properties as Record<string, JsonSchema>;
  const use = itemProps.use as JsonSchema;
  use.examples = entries.map((e) => e.use);
  use.description = `${String(use.description ?? '')} Known here: ${entries.map((e) => e.use).join(', ')}.`;
  const definitions: JsonSchema = { interpolated: INTERPOLATED };
  const branches = entries.map((entry) => {
    let config: JsonSchema;
    try {
      config = hoistDefinitions(pluginConfigJsonSchema(entry.plugin), `${entry.plugin.name}.`, definitions);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      options.onWarning?.(`plugin "${entry.use}": its config schema cannot be written as JSON Schema (${why}); its config block is left open`);
      config = { description: `${entry.plugin.name}: checked by muster when it loads the plugin (its schema has no JSON Schema form).` };
    }
    return {
      if: { properties: { use: entry.uses.length === 1 ? { const: entry.uses[0] } : { enum: [...entry.uses] } }, required: ['use'] },
      // biome-ignore lint/suspicious/noThenProperty: `then` is the JSON Schema keyword, not a thenable.
      then: { properties: { config }, ...(configOptional(entry.plugin) ? {} : { required: ['config'] }) },
    };
  });
  plugins.items = { ...item, allOf: branches };
  const schema = mapSchema({ $schema: DIALECT, title: options.title ?? 'muster config', ...core }, allowInterpolation) as JsonSchema;
  const { interpolated: _interpolated, ...pluginDefinitions } = definitions;
  const mapped = mapSchema(pluginDefinitions, allowInterpolation) as JsonSchema;
  return { ...schema, definitions: { interpolated: INTERPOLATED, ...mapped } };
}
