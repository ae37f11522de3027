/** One captured log line. */
export interface LogLine {
  readonly level: string;
  readonly fields: Record<string, unknown>;
  readonly message: string | undefined;
}

/** A harness `log` option that keeps every line, and the lines. */
export function captureLogs(): { lines: LogLine[]; log: (level: string, fields: Record<string, unknown>, message?: string) => void } {
  const lines: LogLine[] = [];
  return { lines, log: (level, fields, message) => lines.push({ level, fields, message }) };
}
