/** One line of the performance table. */
export interface Row {
  readonly target: string;
  readonly figure: string;
  readonly baseline: string;
  /** figure / baseline where that makes sense. */
  readonly ratio: number | undefined;
  readonly goal: string;
  /** undefined when not measured (smoke run, or a tool missing). */
  readonly pass: boolean | undefined;
  readonly note?: string;
}

export const ms = (n: number) => `${n < 10 ? n.toFixed(2) : n.toFixed(0)} ms`;
export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/**
 * Prints rows as an aligned table (target, muster, baseline, ratio, goal, result); a smoke run
 * says `smoke` instead of judging.
 */
export function printRows(rows: readonly Row[], smoke: boolean): void {
  const header = ['target', 'muster', 'baseline', 'ratio', 'goal', 'result'];
  const lines = rows.map((r) => [
    r.target,
    r.figure,
    r.baseline,
    r.ratio === undefined ? '-' : r.ratio.toFixed(3),
    r.goal,
    smoke ? 'smoke' : r.pass === undefined ? (r.note ?? 'not measured') : r.pass ? 'PASS' : 'FAIL',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  for (const line of [header, ...lines]) console.log(line.map((c, i) => c.padEnd(widths[i] as number)).join('  '));
}
