import { isMusterError } from '@muster/core';

/** Writes a startup/config error to stderr in a readable form and returns the exit code. */
export function reportError(err: unknown, write: (text: string) => void = (t) => process.stderr.write(t)): number {
  if (isMusterError(err)) {
    if (err.code === 'MUSTER_ERR_CONFIG_INVALID') {
      const issues = (err as unknown as { issues?: { path: string; message: string }[] }).issues ?? [];
      write(`muster: ${err.details[0]}: ${issues.length} error(s) [${err.code}]\n`);
      for (const issue of issues) write(`  ${issue.path}: ${issue.message}\n`);
    } else {
      write(`muster: ${err.message} [${err.code}]\n`);
    }
    return 1;
  }
  write(`muster: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
}
