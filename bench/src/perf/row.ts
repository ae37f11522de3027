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
