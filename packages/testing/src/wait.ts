/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `check` until it returns true or `timeoutMs` passes; returns whether it did. The timeout
 * is a hang guard, not a performance bound: far longer than the wait should ever take on a busy
 * machine (timing is measured in bench/).
 */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 30_000, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}
