/**
 * The heap of a running exporter as it is after a full garbage collection, read through the V8
 * inspector of that process. A single reading of `nodejs_heap_size_used_bytes` holds garbage not
 * yet collected, so it cannot tell a leak from a lazy collector; after a forced collection only
 * what is still referenced is left.
 */

/** The environment that opens the inspector of a child process on a free loopback port. */
export function inspectorEnv(): Record<string, string> {
  return { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --inspect=127.0.0.1:0`.trim() };
}

/** A connection to one process's inspector. */
export interface Inspector {
  /** Collects garbage, then returns the bytes of heap still in use. */
  heapAfterGc(): Promise<number>;
  close(): void;
}

/** Connects to the inspector whose address the child printed ("Debugger listening on ws://…"). */
export async function connectInspector(output: () => string): Promise<Inspector> {
  const address = /Debugger listening on (ws:\/\/\S+)/.exec(output())?.[1];
  if (address === undefined) throw new Error(`the child printed no inspector address:\n${output().slice(0, 2000)}`);
  const socket = new WebSocket(address);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error(`cannot reach the inspector at ${address}`)), { once: true });
  });
  let next = 0;
  const waiting = new Map<number, (result: unknown) => void>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id === undefined) return;
    waiting.get(message.id)?.(message.result);
    waiting.delete(message.id);
  });
  const call = (method: string) =>
    new Promise<unknown>((resolve) => {
      const id = ++next;
      waiting.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params: {} }));
    });
  return {
    async heapAfterGc() {
      await call('HeapProfiler.collectGarbage');
      return ((await call('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
    },
    close: () => socket.close(),
  };
}
