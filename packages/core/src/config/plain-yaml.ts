import jsYaml from 'js-yaml';
import { CONFIG_LIMITS } from './limits.js';

/**
 * A fast reader for the plain YAML nearly every config is: mappings, lists and scalars, without
 * anchors, aliases, tags, directives or keys that are not plain values. js-yaml reads such a text
 * about ten times faster than the `yaml` package, which matters for a file of 10,000 instances.
 *
 * It only ever answers for texts on which both parsers agree: with the scalars resolved as the
 * `yaml` package resolves them (YAML 1.2 core schema), and no construct where the two differ. For
 * anything else it declines (returns `undefined`) and the caller reads the text with `yaml`, which
 * enforces the alias limits and reports errors with their line. Declining is always safe; it only
 * costs time.
 */

/** A `yaml` core-schema tag (YAML 1.2), as js-yaml implicit type. */
function scalarType(name: string, test: RegExp, construct: (text: string) => unknown): jsYaml.Type {
  return new jsYaml.Type(`tag:yaml.org,2002:${name}`, { kind: 'scalar', resolve: (text: unknown) => typeof text === 'string' && test.test(text), construct });
}

// The plain scalars the `yaml` package resolves to something other than a string, with its own
// patterns and conversions (yaml/dist/schema/core). Anything else is a string: unlike js-yaml's
// own schema, no `1_000`, `0b1` or `+.5e3`-style extras and no timestamps. One type per tag: js-yaml
// keeps only the last type of a tag.
const INT_OCT = /^0o[0-7]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const CORE_1_2 = jsYaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    scalarType('null', /^(?:~|[Nn]ull|NULL)?$/, () => null),
    scalarType('bool', /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (text) => text[0] === 't' || text[0] === 'T'),
    scalarType('int', /^(?:0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+)$/, (text) =>
      INT_OCT.test(text) ? Number.parseInt(text.substring(2), 8) : INT_HEX.test(text) ? Number.parseInt(text.substring(2), 16) : Number.parseInt(text, 10),
    ),
    scalarType('float', /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$/, (text) =>
      FLOAT_NAN.test(text)
        ? text.slice(-3).toLowerCase() === 'nan'
          ? Number.NaN
          : text[0] === '-'
            ? Number.NEGATIVE_INFINITY
            : Number.POSITIVE_INFINITY
        : Number.parseFloat(text),
    ),
  ],
});

/**
 * Texts where the two parsers may differ: where a node property (`&anchor`, `!tag`), a directive
 * (`%YAML`) or an explicit key (`? `) could start (at the start of a line, or after white space or
 * a flow indicator); a block scalar with an explicit indentation (`|2`); a comment right after a
 * closing bracket or quote (`[a]#c`, which js-yaml reads as a comment and `yaml` refuses); a line
 * starting with `---` or `...` and more than white space or a comment (`---{a: 1}`, `---# c`,
 * `--- a: 1`: js-yaml takes a document marker and content there, `yaml` a plain scalar or an
 * error); a carriage return that does not end a line with its line feed (js-yaml breaks the line
 * there, `yaml` does not); an empty entry of a list in a list (`- -` ending its line: js-yaml adds
 * the next entry of the outer list to the inner one). A superset: `a & b` in a plain scalar
 * matches too, and only sends the text to the `yaml` package.
 */
const NOT_PLAIN = /(?:^|[\s,[\]{}:\uFEFF])[&!]|^%|(?:^|[\s,[\]{}\uFEFF])\?(?:\s|$)|[|>][-+]?[1-9]|[\]}"']#|^\uFEFF?(?:---|\.\.\.)(?![ \t]*\r?$|[ \t]+#)|\r(?!\n)|(?:^|[ \t])-[ \t]+-[ \t]*(?:#.*)?\r?$/m;

/** A line whose indentation holds a tab. */
const TAB_INDENTED = /\n[ \t]*\t/;

/** The longest implicit key the `yaml` package accepts (YAML 1.2: 1024 characters). */
const MAX_IMPLICIT_KEY = 1024;

/** The offset of the first character at or after `i` that is neither white space nor a comment. */
function contentStart(input: string, i: number): number {
  for (let c = input.charCodeAt(i); ; c = input.charCodeAt(++i)) {
    if (c === 0x23) {
      // A comment runs to the end of its line.
      while (i < input.length && c !== 0x0a) c = input.charCodeAt(++i);
    }
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return i;
  }
}

/** Thrown inside js-yaml to stop reading a text the fast path does not vouch for. */
class Decline extends Error {}

/**
 * Reads `text` if it is plain YAML (see above) on which js-yaml and the `yaml` package agree;
 * `undefined` otherwise (a syntax error included). Nesting stops at {@link CONFIG_LIMITS.maxDepth}
 * levels, so its cost is linear in the text whatever the text holds.
 */
export function readPlainYaml(text: string): { readonly value: unknown } | undefined {
  if (NOT_PLAIN.test(text)) return undefined;
  // Where each open node starts: offset and line.
  const starts: number[] = [];
  const lines: number[] = [];
  let value: unknown;
  try {
    value = jsYaml.load(text, {
      schema: CORE_1_2,
      // Each mapping, list or scalar is one level; a scalar in the deepest allowed list is one more.
      maxDepth: CONFIG_LIMITS.maxDepth + 1,
      listener(event, state) {
        if (event === 'open') {
          starts.push(state.position);
          lines.push(state.line);
          return;
        }
        const start = starts.pop() ?? 0;
        const overLines = state.line !== lines.pop();
        const { input, kind } = state;
        // A node followed by `:` on its line is an implicit key: it must be a scalar other than
        // null (the `yaml` package names a null key "" where js-yaml names it "null", and refuses a
        // mapping or a list as a key), and short.
        let at = state.position;
        let c = input.charCodeAt(at);
        while (c === 0x20 || c === 0x09) c = input.charCodeAt(++at);
        if (c === 0x3a && (kind !== 'scalar' || state.result === null || at - start > MAX_IMPLICIT_KEY)) throw new Decline();
        const collection = kind === 'mapping' || kind === 'sequence';
        // A mapping or a list past the nesting limit: the `yaml` package says where. (js-yaml's
        // levels may be one more than the text's: a flow collection starting a line is first
        // tried as a key. Then a text at the limit goes to the `yaml` package too.)
        if (collection && starts.length >= CONFIG_LIMITS.maxDepth) throw new Decline();
        // A scalar or a flow collection over several lines: the parsers differ on how far its
        // later lines must be indented. Block scalars (`|`, `>`) and block collections are read alike.
        if (overLines && (kind === 'scalar' || collection)) {
          const first = input.charCodeAt(contentStart(input, start));
          const block = kind === 'scalar' ? first === 0x7c || first === 0x3e : collection && first !== 0x5b && first !== 0x7b;
          if (!block) throw new Decline();
          // A block scalar with a tab in the indentation of a line (a blank line `\t` less indented
          // than its text, say): js-yaml reads it, `yaml` refuses it.
          if (kind === 'scalar' && TAB_INDENTED.test(input.slice(start, contentStart(input, state.position)))) throw new Decline();
        }
      },
    } as jsYaml.LoadOptions);
  } catch {
    return undefined;
  }
  // Like the `yaml` package, an empty document (or only comments) is null.
  return { value: value === undefined ? null : value };
}
