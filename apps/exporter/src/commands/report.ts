import { readFileSync } from 'node:fs';
import { isMusterError } from '@muster/core';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';

/** Options of {@link reportError}. */
export interface ReportOptions {
  /** Color the output; by default when stderr is a terminal and `NO_COLOR` is not set. */
  readonly color?: boolean;
}

/**
 * Whether to write ANSI colors to `stream`: `NO_COLOR` (non-empty) turns them off, `FORCE_COLOR`
 * (other than `0`) on; otherwise only a terminal gets them, never a pipe or a file.
 */
export function useColor(stream: { isTTY?: boolean } = process.stderr, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0';
  return stream.isTTY === true;
}

type Style = (text: string) => string;
interface Palette {
  readonly error: Style;
  readonly path: Style;
  readonly where: Style;
  readonly dim: Style;
}

const sgr = (open: number, close: number): Style => (text) => `\u001b[${open}m${text}\u001b[${close}m`;
const COLORS: Palette = { error: (t) => sgr(1, 22)(sgr(31, 39)(t)), path: sgr(33, 39), where: sgr(36, 39), dim: sgr(2, 22) };
const PLAIN: Palette = { error: (t) => t, path: (t) => t, where: (t) => t, dim: (t) => t };

/** A place in a file, 1-based. */
export interface Location {
  readonly line: number;
  readonly column: number;
}

/** Locates config paths in a YAML text: the key of a mapping entry, or the item of a list. */
export class YamlLocator {
  readonly #lines = new LineCounter();
  readonly #root: Node | null;

  constructor(text: string) {
    const doc = parseDocument(text, { lineCounter: this.#lines, keepSourceTokens: false });
    this.#root = doc.errors.length > 0 ? null : (doc.contents as Node | null);
  }

  /** Where the value at `path` is, or where its closest existing parent is; undefined when nothing fits. */
  locate(path: readonly PropertyKey[]): Location | undefined {
    if (this.#root === null) return undefined;
    let node: unknown = this.#root;
    let offset: number | undefined = (this.#root as { range?: [number, number, number] }).range?.[0];
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(segment));
        if (pair === undefined) break;
        offset = (pair.key as { range?: [number, number, number] } | null)?.range?.[0] ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (item === undefined) break;
        offset = (item as { range?: [number, number, number] }).range?.[0] ?? offset;
        node = item;
      } else break;
    }
    if (offset === undefined) return undefined;
    const { line, col } = this.#lines.linePos(offset);
    return { line, column: col };
  }
}

/** The YAML syntax error behind a parse error: message, place and the lines around it. */
interface SyntaxProblem {
  readonly reason: string;
  readonly location?: Location;
  readonly snippet?: string;
}

/** js-yaml's error (through cosmiconfig) carries `mark`; otherwise the `yaml` package finds the place. */
function syntaxProblem(cause: unknown, file: string): SyntaxProblem | undefined {
  const yamlError = cause as { reason?: unknown; mark?: { line?: unknown; column?: unknown; snippet?: unknown } } | null;
  const mark = yamlError?.mark;
  if (mark !== undefined && typeof mark.line === 'number' && typeof mark.column === 'number') {
    return {
      reason: typeof yamlError?.reason === 'string' ? yamlError.reason : 'invalid YAML',
      location: { line: mark.line + 1, column: mark.column + 1 },
      ...(typeof mark.snippet === 'string' ? { snippet: mark.snippet } : {}),
    };
  }
  if (!/\.(ya?ml)$|(^|\/)\.musterrc$/.test(file)) return undefined;
  try {
    const doc = parseDocument(readFileSync(file, 'utf8'), { prettyErrors: true });
    const first = doc.errors[0];
    if (first === undefined) return undefined;
    const pos = first.linePos?.[0];
    return {
      reason: first.message.split('\n')[0] ?? first.message,
      ...(pos === undefined ? {} : { location: { line: pos.line, column: pos.col } }),
    };
  } catch {
    return undefined;
  }
}

function locator(file: string): YamlLocator | undefined {
  if (!/\.(ya?ml)$|(^|\/)\.musterrc$/.test(file)) return undefined;
  try {
    return new YamlLocator(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Writes a startup or config error to stderr in a readable form and returns the exit code: every
 * config problem on its own line starting with its path, with the line and column in YAML files;
 * a YAML syntax error with its place and the lines around it. In color on a terminal.
 */
export function reportError(err: unknown, write: (text: string) => void = (t) => process.stderr.write(t), options: ReportOptions = {}): number {
  const c = (options.color ?? useColor()) ? COLORS : PLAIN;
  if (isMusterError(err)) {
    const code = c.dim(`[${err.code}]`);
    if (err.code === 'MUSTER_ERR_CONFIG_INVALID') {
      const file = err.details[0] ?? '';
      const issues = err.issues;
      const where = locator(file);
      write(`muster: ${c.error(`${file}: ${issues.length} error(s)`)} ${code}\n`);
      for (const issue of issues) {
        // An unknown key is reported on its parent object: point at the key itself.
        const path = issue.key === undefined ? issue.segments : [...issue.segments, issue.key];
        const at = where?.locate(path);
        const suffix = at === undefined ? '' : ` ${c.where(`(line ${at.line}, column ${at.column})`)}`;
        write(`  ${c.path(`${issue.path}:`)} ${issue.message}${suffix}\n`);
      }
    } else if (err.code === 'MUSTER_ERR_CONFIG_PARSE') {
      const file = err.details[0] ?? '';
      const problem = syntaxProblem(err.cause, file);
      if (problem === undefined) write(`muster: ${c.error(err.message)} ${code}\n`);
      else {
        const place = problem.location === undefined ? file : `${file}:${problem.location.line}:${problem.location.column}`;
        const lineCol = problem.location === undefined ? '' : ` at line ${problem.location.line}, column ${problem.location.column}`;
        write(`muster: ${c.where(place)}: ${c.error(`invalid YAML${lineCol}: ${problem.reason}`)} ${code}\n`);
        if (problem.snippet !== undefined) {
          for (const line of problem.snippet.replace(/\n+$/, '').split('\n')) write(`  ${c.dim(line)}\n`);
        }
      }
    } else {
      write(`muster: ${c.error(err.message)} ${code}\n`);
    }
    return 1;
  }
  write(`muster: ${c.error(err instanceof Error ? (err.stack ?? err.message) : String(err))}\n`);
  return 1;
}
