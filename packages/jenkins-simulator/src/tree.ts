/**
 * The `tree=` query parameter of the Jenkins remote access API, parsed the way Jenkins
 * parses it (Stapler's `NamedPathPruner`): a recursive-descent parser over the grammar
 *
 * ```
 * list  := node ( ',' list )?
 * node  := NAME ( '[' list ']' )? ( '{' range '}' )?
 * range := ',' NUM          → {,N}  elements [0, N)
 *        | NUM              → {N}   element  N only
 *        | NUM ','          → {N,}  elements [N, end)
 *        | NUM ',' NUM      → {M,N} elements [M, N)
 * NAME  := one or more characters other than , [ ] { }
 * NUM   := [0-9]+
 * ```
 *
 * Faithful details that surprise people:
 * - Whitespace is not trimmed: `jobs[name, color]` selects `name` and ` color` (which
 *   matches nothing, so `color` is silently left out).
 * - A name given twice at one level keeps only the last selection (`a[b],a[c]` = `a[c]`).
 * - `*` selects every property at its level that is not named explicitly.
 * - The empty string is a syntax error (`tree=` answers an error, it does not mean "nothing").
 *
 * @packageDocumentation
 */

/** A half-open index range `[min, max)` applied to an array property. */
export interface TreeRange {
  /** First index kept. */
  readonly min: number;
  /** One past the last index kept; `Infinity` for an open range. */
  readonly max: number;
}

/** The whole range: every element. */
export const ALL_RANGE: TreeRange = Object.freeze({ min: 0, max: Number.POSITIVE_INFINITY });

/** One level of a parsed `tree=` expression. */
export interface TreeSpec {
  /** Selected property names at this level, each with its own sub-selection. */
  readonly children: ReadonlyMap<string, TreeSpec>;
  /** Range applied when the property holding this level is an array. */
  readonly range: TreeRange;
}

/** Thrown by {@link parseTree} for a malformed expression; Jenkins answers these with HTTP 500. */
export class TreeSyntaxError extends Error {
  /** Character offset at which the parser gave up. */
  readonly position: number;
  constructor(message: string, position: number) {
    super(message);
    this.name = 'TreeSyntaxError';
    this.position = position;
  }
}

type Token = 'COMMA' | 'LBRACE' | 'RBRACE' | 'QLBRACE' | 'QRBRACE' | 'EOF';

const TOKEN_OF: Record<string, Token> = { ',': 'COMMA', '[': 'LBRACE', ']': 'RBRACE', '{': 'QLBRACE', '}': 'QRBRACE' };
const MAX_INT = 2_147_483_647;

interface MutableSpec {
  children: Map<string, MutableSpec>;
  range: TreeRange;
}

class Reader {
  pos = 0;
  private next = 0;
  constructor(private readonly text: string) {}

  /** A token, or the NAME string starting at the current position. */
  peek(): Token | { name: string } {
    const { text, pos } = this;
    if (pos >= text.length) return 'EOF';
    const tok = TOKEN_OF[text[pos]!];
    if (tok) {
      this.next = pos + 1;
      return tok;
    }
    let end = pos;
    while (end < text.length && TOKEN_OF[text[end]!] === undefined) end++;
    this.next = end;
    return { name: text.slice(pos, end) };
  }

  advance(): void {
    this.pos = this.next;
  }

  accept(tok: Token): boolean {
    if (this.peek() === tok) {
      this.advance();
      return true;
    }
    return false;
  }

  expect(tok: Token): void {
    if (this.peek() !== tok) throw new TreeSyntaxError(`expected ${tok} at ${this.pos}`, this.pos);
    this.advance();
  }

  expectNumber(): number {
    const t = this.peek();
    if (typeof t === 'string' || !/^[0-9]+$/.test(t.name)) {
      throw new TreeSyntaxError(`expected number at ${this.pos}`, this.pos);
    }
    const n = Number(t.name);
    // Jenkins parses with Integer.parseInt: anything past 2^31-1 is malformed too.
    if (n > MAX_INT) throw new TreeSyntaxError(`For input string: "${t.name}"`, this.pos);
    this.advance();
    return n;
  }
}

function newSpec(): MutableSpec {
  return { children: new Map(), range: ALL_RANGE };
}

function list(r: Reader, t: MutableSpec): void {
  node(r, t);
  if (r.accept('COMMA')) list(r, t);
}

function node(r: Reader, t: MutableSpec): void {
  const actual = r.peek();
  if (typeof actual === 'string') throw new TreeSyntaxError(`expected name at ${r.pos}`, r.pos);
  r.advance();
  const subtree = newSpec();
  // Like Java's TreeMap.put: a repeated name replaces the earlier selection.
  t.children.delete(actual.name);
  t.children.set(actual.name, subtree);
  if (r.accept('LBRACE')) {
    list(r, subtree);
    r.expect('RBRACE');
  }
  if (r.accept('QLBRACE')) {
    subtree.range = parseRange(r);
    r.expect('QRBRACE');
  }
}

function parseRange(r: Reader): TreeRange {
  if (r.accept('COMMA')) return { min: 0, max: r.expectNumber() }; // {,N}
  const min = r.expectNumber();
  if (r.peek() === 'QRBRACE') return { min, max: min + 1 }; // {N}
  r.expect('COMMA');
  if (r.peek() === 'QRBRACE') return { min, max: Number.POSITIVE_INFINITY }; // {N,}
  return { min, max: r.expectNumber() }; // {M,N}
}

/**
 * Parse a `tree=` expression.
 *
 * @throws TreeSyntaxError when the expression is malformed (the message is the one Jenkins
 * puts in its "Malformed tree expression" error).
 */
export function parseTree(spec: string): TreeSpec {
  const r = new Reader(spec);
  const root = newSpec();
  list(r, root);
  r.expect('EOF');
  return root;
}

/**
 * Render a parsed tree the way Jenkins' `NamedPathPruner.Tree#toString` does
 * (`{a={}, b={c={}}}`, keys in Java `TreeMap` order). Ranges are not shown, as in Jenkins.
 */
export function treeToString(spec: TreeSpec): string {
  const keys = [...spec.children.keys()].sort(compareJavaStrings);
  return `{${keys.map((k) => `${k}=${treeToString(spec.children.get(k)!)}`).join(', ')}}`;
}

/** Java's `String.compareTo`: UTF-16 code unit order. */
function compareJavaStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Apply a range to an array exactly as Stapler's `Range.apply` does. */
export function applyRange<T>(items: readonly T[], range: TreeRange): readonly T[] {
  if (range.min === 0 && range.max >= items.length) return items;
  return items.slice(range.min, range.max);
}
