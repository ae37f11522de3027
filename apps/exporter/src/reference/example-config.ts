import type { Plugin } from '@muster/sdk';
import type { JsonSchema } from './json-schema.js';

/** A plugin's smallest valid `config`: its defaults, plus placeholders where a value is required. */
export interface ExampleConfig {
  /** The `config` block as written (input side: defaults left out). */
  readonly value: Record<string, unknown>;
  /** Paths (`url`, `tls.ca`) that needed a placeholder, with what the plugin said is required. */
  readonly required: ReadonlyMap<string, string>;
  /** False when no placeholders could make the block valid (the plugin needs a human). */
  readonly valid: boolean;
}

type Segment = string | number;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The schema node at `path` in a JSON Schema (through `properties`, `items` and the first fitting `anyOf`). */
export function schemaAt(root: JsonSchema, path: readonly Segment[]): JsonSchema | undefined {
  let node: JsonSchema | undefined = root;
  for (const segment of path) {
    if (node === undefined) return undefined;
    const branches: JsonSchema[] = Array.isArray(node.anyOf) ? (node.anyOf as JsonSchema[]) : [node];
    let next: JsonSchema | undefined;
    for (const branch of branches) {
      if (typeof segment === 'number' && isObject(branch.items)) next = branch.items as JsonSchema;
      else if (typeof segment === 'string' && isObject(branch.properties) && isObject(branch.properties[segment])) {
        next = branch.properties[segment] as JsonSchema;
      }
      if (next !== undefined) break;
    }
    node = next;
  }
  return node;
}

/** The JSON type a schema node asks for (the first branch's, for a union). */
export function typeOf(node: JsonSchema | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (typeof node.type === 'string') return node.type;
  if (Array.isArray(node.type)) return String(node.type[0]);
  if (Array.isArray(node.anyOf)) return typeOf(node.anyOf[0] as JsonSchema);
  if (node.const !== undefined) return typeof node.const;
  return undefined;
}

/**
 * A placeholder for a required value: an example from the schema when it has one, else a value
 * that reads as a placeholder and still validates (`http://127.0.0.1:8080/`, `127.0.0.1`, `change-me`).
 */
export function placeholder(key: string, node: JsonSchema | undefined): unknown {
  if (node !== undefined && Array.isArray(node.examples) && node.examples.length > 0) return node.examples[0];
  if (node !== undefined && Array.isArray(node.enum) && node.enum.length > 0) return node.enum[0];
  if (/url$/i.test(key)) return 'http://127.0.0.1:8080/';
  if (/^host(name)?$/i.test(key)) return '127.0.0.1';
  if (/^user(name)?$/i.test(key)) return 'muster';
  switch (typeOf(node)) {
    case 'integer':
    case 'number':
      return typeof node?.minimum === 'number' ? node.minimum : 1;
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object':
      return {};
    default:
      return 'change-me';
  }
}

function getAt(value: unknown, path: readonly Segment[]): unknown {
  let node = value;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<Segment, unknown>)[segment];
  }
  return node;
}

function setAt(value: Record<string, unknown>, path: readonly Segment[], leaf: unknown): void {
  let node: Record<Segment, unknown> = value;
  for (const [n, segment] of path.entries()) {
    if (n === path.length - 1) node[segment] = leaf;
    else {
      if (node[segment] === null || typeof node[segment] !== 'object') node[segment] = typeof path[n + 1] === 'number' ? [] : {};
      node = node[segment] as Record<Segment, unknown>;
    }
  }
}

/**
 * The smallest valid `config` of `plugin`: starting from `{}`, every value the schema reports
 * missing gets a placeholder, until the block validates (a few rounds: a refinement can ask for
 * a value only once the rest is valid).
 */
export function exampleConfig(plugin: Plugin, json: JsonSchema): ExampleConfig {
  const value: Record<string, unknown> = {};
  const required = new Map<string, string>();
  for (let round = 0; round < 10; round++) {
    const result = plugin.configSchema.safeParse(value);
    if (result.success) return { value, required, valid: true };
    let fixed = false;
    for (const issue of result.error.issues) {
      const path = issue.path.filter((s): s is Segment => typeof s === 'string' || typeof s === 'number');
      if (path.length === 0 || getAt(value, path) !== undefined) continue;
      const key = String(path[path.length - 1]);
      setAt(value, path, placeholder(key, schemaAt(json, path)));
      required.set(path.join('.'), issue.message);
      fixed = true;
    }
    if (!fixed) break;
  }
  return { value, required, valid: false };
}

/** Deep copy of a JSON value. */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export { getAt, setAt };
