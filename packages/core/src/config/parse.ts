import jsYaml from 'js-yaml';
import type * as Yaml from 'yaml';
import { createError, createIssuesError } from '../errors.js';
import { lazyModule } from '../lazy-module.js';
import { issueAt } from './issues.js';
import { CONFIG_LIMITS, checkSize, limitError } from './limits.js';
import { readPlainYaml } from './plain-yaml.js';

/**
 * Parsers for config files that refuse what would cost too much before building it: the size of
 * the text, the nesting of mappings and lists, and YAML alias expansion (an "alias bomb" of a few
 * hundred bytes expands to billions of values). The tree they return is checked once more by
 * `checkTree` (values counted after expansion), whatever the format.
 */

/** The `yaml` package, loaded the first time a text is not plain YAML (most configs never need it). */
const yaml = lazyModule<typeof Yaml>('yaml');

/**
 * Parses a YAML config (YAML 1.2, one document) within {@link CONFIG_LIMITS}. Plain YAML (no
 * anchors, aliases or tags: see {@link readPlainYaml}) is read by the fast reader; anything else,
 * and every error, by the `yaml` package, which counts aliases before expanding them and says
 * where a problem is.
 */
export function parseYamlConfig(filepath: string, text: string): unknown {
  checkSize(filepath, Buffer.byteLength(text));
  const plain = readPlainYaml(text);
  if (plain !== undefined) return refuseImports(filepath, plain.value);
  const { isMap, isPair, isSeq, LineCounter, parseDocument } = yaml();
  checkFlowDepth(filepath, text);
  // Errors unprettified: `prettyErrors` quotes the line of every error, and a one-line file of
  // 500,000 errors (` &` repeated) then costs minutes. Only the first error is reported.
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter: lines });
  const first = doc.errors[0];
  if (first !== undefined) {
    first.linePos = first.pos[0] === -1 ? undefined : [lines.linePos(first.pos[0]), lines.linePos(first.pos[1])];
    // The composer reports its own stack overflow as a syntax error: it is the nesting limit.
    if (/call stack/i.test(first.message)) {
      throw limitError(filepath, 'maxDepth', `mappings and lists nested too deep to parse${first.linePos === undefined ? '' : ` at line ${first.linePos[0].line}`}`, first);
    }
    // Report the syntax error as before, in js-yaml's words with its place and the lines around
    // it; the limits above already hold for this text.
    throwJsYamlError(filepath, text);
    // js-yaml reads it: the yaml package's error, with its place and line (read again, as it is rare).
    throw parseDocument(text, { prettyErrors: true }).errors[0] ?? first;
  }
  // The syntax tree holds each alias once: its nesting is the file's own, cheap to measure.
  let deepest = 0;
  const stack: [unknown, number][] = [[doc.contents, 1]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [node, depth] = item;
    if (isMap(node) || isSeq(node)) {
      deepest = Math.max(deepest, depth);
      if (depth > CONFIG_LIMITS.maxDepth) {
        throw limitError(filepath, 'maxDepth', `mappings and lists nested more than ${CONFIG_LIMITS.maxDepth} levels deep${where(node, text)}`);
      }
      for (const child of node.items) stack.push([child, depth + 1]);
    } else if (isPair(node)) {
      // A key that is a mapping or a list (`? [a, b]`) has no place in a config; JS would
      // stringify it (and print a process warning with it).
      if (isMap(node.key) || isSeq(node.key)) {
        throw createError('MUSTER_ERR_CONFIG_PARSE', [filepath, `a key must be a plain value, not a mapping or a list${where(node.key, text)}`]);
      }
      // A pair sits one level below its mapping, as its key and value do.
      stack.push([node.key, depth], [node.value, depth]);
    }
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: CONFIG_LIMITS.maxAliases });
  } catch (err) {
    if (err instanceof ReferenceError && /alias/i.test(err.message)) {
      throw limitError(filepath, 'maxAliases', 'its aliases expand to more values than allowed (an alias bomb?)', err);
    }
    throw err;
  }
  return refuseImports(filepath, value);
}

/**
 * Throws js-yaml's error for `text`, if it has one, worded as cosmiconfig's YAML loader words it
 * (the way muster reported YAML syntax errors from the start).
 */
function throwJsYamlError(filepath: string, text: string): void {
  try {
    jsYaml.load(text);
  } catch (err) {
    if (err instanceof Error) err.message = `YAML Error in ${filepath}:\n${err.message}`;
    throw err;
  }
}

/**
 * Refuses cosmiconfig's `$import` key: it would read and merge other files past muster's rules
 * (limits on their number, `MUSTER_FILE_ROOTS`). muster configs are one file; secrets come in
 * through `${file:…}`.
 */
function refuseImports(filepath: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && Object.hasOwn(value, '$import')) {
    throw createIssuesError('MUSTER_ERR_CONFIG_INVALID', filepath, [
      { ...issueAt([], 'unknown key "$import": a muster config is one file (read secrets with ${file:PATH})'), key: '$import' },
    ]);
  }
  return value;
}

/**
 * Refuses flow collections (`[…]`, `{…}`) nested past the limit before parsing: the parser's
 * cost grows much faster than the nesting. The lexer's tokens tell brackets from text inside
 * scalars; it stops at the first excess, so a file of a million `[` costs 65 tokens.
 */
function checkFlowDepth(filepath: string, text: string): void {
  if (!/[[{]/.test(text)) return;
  let depth = 0;
  let offset = 0;
  for (const token of new (yaml().Lexer)().lex(text)) {
    if (token === '[' || token === '{') {
      if (++depth > CONFIG_LIMITS.maxDepth) {
        const line = text.slice(0, offset).split('\n').length;
        throw limitError(filepath, 'maxDepth', `mappings and lists nested more than ${CONFIG_LIMITS.maxDepth} levels deep at line ${line}`);
      }
    } else if (token === ']' || token === '}') depth = Math.max(0, depth - 1);
    // The lexer adds one-character control tokens of its own (document start, scalar): not source.
    if (!(token.length === 1 && token < ' ' && token !== '\n' && token !== '\t' && token !== '\r')) offset += token.length;
  }
}

/** " at line L" for a node of `text`. */
function where(node: { range?: [number, number, number] | null }, text: string): string {
  const start = node.range?.[0];
  if (start === undefined) return '';
  return ` at line ${text.slice(0, start).split('\n').length}`;
}

/** Parses a JSON config within {@link CONFIG_LIMITS}: size, then nesting (one pass), then JSON.parse. */
export function parseJsonConfig(filepath: string, text: string): unknown {
  checkSize(filepath, Buffer.byteLength(text));
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > CONFIG_LIMITS.maxDepth) {
        const line = text.slice(0, i).split('\n').length;
        throw limitError(filepath, 'maxDepth', `arrays and objects nested more than ${CONFIG_LIMITS.maxDepth} levels deep at line ${line}`);
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return refuseImports(filepath, JSON.parse(text));
}

/** A parser of one data format: the file's path (for errors) and its text. */
export type ConfigParser = (filepath: string, text: string) => unknown;

/** The parsers of the data formats by extension (JS configs keep cosmiconfig's own loaders). */
export const LIMITED_LOADERS = {
  '.yaml': parseYamlConfig,
  '.yml': parseYamlConfig,
  '.json': parseJsonConfig,
  noExt: parseYamlConfig,
} as const satisfies Record<string, ConfigParser>;
