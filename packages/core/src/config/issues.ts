import type { z } from '@muster/sdk';
import { closest, distance } from 'fastest-levenshtein';
import { hideUserinfo } from '../hide-userinfo.js';
import { formatPath, type PathSegment } from './path.js';

/** Unknown keys of one object named one by one; past this, one issue names the first ones. */
const MAX_KEYS_NAMED = 10;

/** One problem in a config file. */
export interface ConfigIssue {
  /** The path as it reads in the file: `plugins[2].config.url`. */
  readonly path: string;
  /** The same path as segments (`['plugins', 2, 'config', 'url']`): never parse `path` back. */
  readonly segments: readonly PathSegment[];
  readonly message: string;
  /**
   * For an unknown key: the key itself (the issue's path is the object holding it), so that a
   * report can point at the key in the file without reading it back from the message.
   */
  readonly key?: string;
}

/** An issue at `segments`, its `path` formatted from them. */
export function issueAt(segments: readonly PathSegment[], message: string): ConfigIssue {
  return { path: formatPath(segments), segments, message };
}

/** What {@link issuesFromZod} may use to say more about an issue. */
export interface IssueContext {
  /** The schema that was parsed: unknown keys get a did-you-mean from the keys it knows. */
  readonly schema?: z.ZodType;
  /**
   * The value at a full path as the file wrote it, before interpolation: a value that came from
   * `${…}` is shown with where it came from (`found "abc" (from ${MUSTER_PORT:-abc})`).
   */
  readonly rawAt?: (path: readonly PathSegment[]) => unknown;
}

/** A zod issue as this module reads it (zod's issue union, loosely). */
interface ZodIssueLike {
  readonly code: string;
  readonly path: readonly PathSegment[];
  readonly message: string;
  readonly input?: unknown;
  readonly expected?: string;
  readonly keys?: readonly string[];
  readonly values?: readonly unknown[];
  readonly format?: string;
  readonly pattern?: string;
  readonly origin?: string;
  readonly minimum?: number | bigint;
  readonly maximum?: number | bigint;
  readonly inclusive?: boolean;
  readonly divisor?: number;
  readonly errors?: readonly (readonly ZodIssueLike[])[];
}

/** Messages zod writes itself (rewritten here); anything else is the schema author's own text. */
const ZOD_DEFAULT = /^(Invalid|Too big|Too small|Unrecognized key)/;

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a mapping of keys',
  array: 'a list',
  record: 'a mapping of keys',
  bigint: 'an integer',
  null: 'null',
  date: 'a date',
};

const FORMAT_NAMES: Record<string, string> = {
  url: 'a URL',
  email: 'an email address',
  uuid: 'a UUID',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
  hostname: 'a host name',
  datetime: 'an ISO 8601 date and time',
  date: 'an ISO 8601 date',
  duration: 'an ISO 8601 duration',
};

/**
 * A value as an error message shows it: scalars as written (strings quoted), collections by kind.
 * Long strings are described, not quoted, so an error never carries a whole document or token.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') return 'a mapping of keys';
  if (typeof value === 'string') return value.length > 120 ? `a string of ${value.length} characters` : JSON.stringify(hideUserinfo(value));
  return String(value);
}

function typeName(expected: string | undefined): string {
  return expected === undefined ? 'a value' : (TYPE_NAMES[expected] ?? expected);
}

function bound(issue: ZodIssueLike, least: boolean): string {
  const limit = String(least ? issue.minimum : issue.maximum);
  const strict = issue.inclusive === false;
  switch (issue.origin) {
    case 'string':
      return `${least ? 'at least' : 'at most'} ${limit} character${limit === '1' ? '' : 's'}`;
    case 'array':
    case 'set':
      return `${least ? 'at least' : 'at most'} ${limit} item${limit === '1' ? '' : 's'}`;
    default:
      return `a number ${least ? (strict ? '>' : '>=') : strict ? '<' : '<='} ${limit}`;
  }
}

/** The expected forms of a union, from what each alternative wanted. */
function unionExpectations(issue: ZodIssueLike): string {
  const wanted = new Set<string>();
  for (const branch of issue.errors ?? []) {
    const first = branch[0];
    if (first === undefined) continue;
    if (first.code === 'invalid_type') wanted.add(typeName(first.expected));
    else if (first.code === 'invalid_value') for (const v of first.values ?? []) wanted.add(JSON.stringify(v));
    else wanted.add(`${typeName(first.origin)} (${expectation(first)})`);
  }
  return wanted.size === 0 ? 'one of the allowed forms' : [...wanted].join(' or ');
}

/** What an issue expected, in words (no "found"). */
function expectation(issue: ZodIssueLike): string {
  switch (issue.code) {
    case 'invalid_type':
      return typeName(issue.expected);
    case 'invalid_value':
      return (issue.values ?? []).length === 1
        ? JSON.stringify(issue.values?.[0])
        : `one of ${(issue.values ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      if (issue.format === 'regex' || issue.format === undefined) return `a string matching ${issue.pattern ?? 'the pattern'}`;
      return FORMAT_NAMES[issue.format] ?? `a string in ${issue.format} format`;
    case 'too_small':
      return bound(issue, true);
    case 'too_big':
      return bound(issue, false);
    case 'not_multiple_of':
      return `a multiple of ${issue.divisor}`;
    case 'invalid_union':
      return unionExpectations(issue);
    default:
      return issue.message.replace(/^Invalid input:?\s*/i, '') || 'a valid value';
  }
}

/** The did-you-mean of an unknown key among the known ones, when one is close enough. */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined;
  const lower = known.find((k) => k.toLowerCase() === key.toLowerCase());
  if (lower !== undefined) return lower;
  const best = closest(key, [...known]);
  return distance(key, best) <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** A zod schema's definition, as far as walking it needs. */
interface Def {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly innerType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly left?: z.ZodType;
  readonly right?: z.ZodType;
  readonly getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The keys known at `path` inside `schema`: the union of every object schema that can sit there. */
export function knownKeysAt(schema: z.ZodType, path: readonly PathSegment[]): string[] {
  let here: z.ZodType[] = [schema];
  for (const segment of path) {
    const next: z.ZodType[] = [];
    for (const s of here) {
      const unwrapped = unwrapToContainer(s);
      for (const u of unwrapped) {
        const def = defOf(u);
        if (def.type === 'object' && typeof segment === 'string' && def.shape?.[segment] !== undefined) next.push(def.shape[segment]);
        else if (def.type === 'record' && def.valueType !== undefined) next.push(def.valueType);
        else if (def.type === 'array' && typeof segment === 'number' && def.element !== undefined) next.push(def.element);
      }
    }
    here = next;
  }
  const keys = new Set<string>();
  for (const s of here) {
    for (const o of unwrapToContainer(s)) for (const k of Object.keys(defOf(o).shape ?? {})) keys.add(k);
  }
  return [...keys];
}

/** Objects, records and arrays a schema can be, wrappers unwrapped. */
function unwrapToContainer(schema: z.ZodType, depth = 0): z.ZodType[] {
  if (depth > 20) return [];
  const def = defOf(schema);
  const next = (s: z.ZodType | undefined) => (s === undefined ? [] : unwrapToContainer(s, depth + 1));
  switch (def.type) {
    case 'object':
    case 'record':
    case 'array':
      return [schema];
    case 'union':
      return (def.options ?? []).flatMap((o) => next(o));
    case 'intersection':
      return [...next(def.left), ...next(def.right)];
    case 'pipe':
      return next(def.in);
    case 'lazy':
      return next(def.getter?.());
    default:
      return next(def.innerType);
  }
}

/** ` (from ${…})` when the file wrote the value at `path` as a template. */
function origin(context: IssueContext, path: readonly PathSegment[]): string {
  const raw = context.rawAt?.(path);
  return typeof raw === 'string' && raw.includes('${') ? ` (from ${raw})` : '';
}

/** The message of one zod issue: what was expected and what was found. */
function messageOf(issue: ZodIssueLike, context: IssueContext, path: readonly PathSegment[]): string {
  const found = 'input' in issue && issue.input !== undefined ? `, found ${describeValue(issue.input)}${origin(context, path)}` : '';
  if (!ZOD_DEFAULT.test(issue.message)) {
    // The schema author's own text: add the value found unless it already says.
    return /\bfound\b/.test(issue.message) ? `${issue.message}${origin(context, path)}` : `${issue.message}${found}`;
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return `required: expected ${typeName(issue.expected)}`;
  return `expected ${expectation(issue)}${found}`;
}

/**
 * Turns zod issues into config issues, their paths prefixed with `prefix`: each says what was
 * expected and what was found (and where a `${…}` value came from); each unknown key is its
 * own issue, with a did-you-mean from the keys the schema knows there.
 */
export function issuesFromZod(error: z.ZodError, prefix: readonly PathSegment[] = [], context: IssueContext = {}): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of error.issues as unknown as ZodIssueLike[]) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys ?? [];
      // Keys are JSON-quoted so that control characters stay escaped. A few get an issue each,
      // with a did-you-mean; a flood of them is one issue naming the first few.
      if (keys.length > MAX_KEYS_NAMED) {
        const shown = keys.slice(0, MAX_KEYS_NAMED).map((k) => JSON.stringify(k));
        out.push({ path: formatPath(path), segments: path, message: `unknown keys ${shown.join(', ')} and ${keys.length - shown.length} more` });
        continue;
      }
      const known = context.schema === undefined ? [] : knownKeysAt(context.schema, issue.path);
      for (const key of keys) {
        const guess = suggestKey(key, known);
        out.push({ path: formatPath(path), segments: path, key, message: `unknown key ${JSON.stringify(key)}${guess === undefined ? '' : ` (did you mean "${guess}"?)`}` });
      }
      continue;
    }
    out.push({ path: formatPath(path), segments: path, message: messageOf(issue, context, path) });
  }
  return out;
}
