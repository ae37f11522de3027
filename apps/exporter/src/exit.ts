/** Resolves once everything written to `stream` so far has been handed to the OS (or the stream failed). */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.writableEnded) return resolve();
    // Callbacks run in order: this one runs after every earlier write is flushed.
    stream.write('', () => resolve());
  });
}

/**
 * Ends a command: waits until stdout and stderr are flushed, then exits with `code`. On a pipe,
 * Node writes asynchronously and `process.exit` drops what is still queued: `muster validate |
 * head`-style consumers would read a cut output. The exit is explicit because a plugin may leave
 * a handle open. A reader that went away (EPIPE) ends the wait instead of crashing the process.
 */
export async function flushAndExit(code: number): Promise<never> {
  process.exitCode = code;
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}
