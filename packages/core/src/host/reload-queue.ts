/**
 * Runs `task` one call at a time and coalesces callers: a call while a run is under way waits for
 * the one run queued after it, shared with every other caller that came meanwhile. Each caller
 * gets a run that started after its call (a reload that read the file as it was then), and a flood
 * of calls costs two runs, not one per call.
 */
export function coalesced<T>(task: () => Promise<T>, initial: T): () => Promise<T> {
  let tail: Promise<T> = Promise.resolve(initial);
  let queued: Promise<T> | undefined;
  return () => {
    if (queued !== undefined) return queued;
    const next = tail.catch(() => undefined).then(() => {
      queued = undefined; // from here on, a new call must wait for a later run
      return task();
    });
    queued = next;
    tail = next;
    return next;
  };
}
