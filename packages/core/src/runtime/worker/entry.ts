/**
 * The code of a worker thread that runs one instance's plugin (`isolation: worker`). It imports
 * the plugin, creates its collector with a context like the in-process one, and runs a cycle
 * whenever the host asks; the cycle's samples, the plugin's log lines and any error its code
 * leaves unhandled travel back over the port. The host terminates the worker when a cycle passes
 * its deadline, so nothing here needs to enforce one.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { type Collector, isTargetVerdict, type Logger, type Plugin, type TargetVerdict } from '@muster/sdk';
import { describeError, isMusterError } from '../../errors.js';
import { FamilyRegistry } from '../../metrics/families.js';
import { InstanceMetrics } from '../../metrics/instance-metrics.js';
import { CHUNK_LINES } from '../../metrics/series.js';
import type { FamilyDefinition } from '../../metrics/types.js';
import { classifyFailure } from '../classify.js';
import { InstanceContext } from '../collector-context.js';
import { encodeFamily, type FromWorker, type ToWorker, type WorkerInit } from './protocol.js';

if (parentPort === null) throw new Error('this module runs in a worker thread');
const port: MessagePort = parentPort;
const init = workerData as WorkerInit;
const post = (message: FromWorker) => port.postMessage(message);

process.on('unhandledRejection', (reason) => post({ type: 'unhandled', source: 'rejection', error: describeError(reason) }));
process.on('uncaughtException', (error) => post({ type: 'unhandled', source: 'exception', error: describeError(error) }));
// Already reported as unhandled; without a listener Node would print a warning on stderr.
process.on('rejectionHandled', () => undefined);

/** The plugin's logger: every line goes to the host, which logs it with the instance's fields. */
function portLogger(bound: Record<string, unknown> = {}): Logger {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (a: Record<string, unknown> | string, b?: string): void => {
      const fields = typeof a === 'string' ? bound : { ...bound, ...a };
      const message = typeof a === 'string' ? a : (b ?? '');
      try {
        post({ type: 'log', level, fields, message });
      } catch {
        // Fields that cannot be copied to the host: keep the line, as text.
        post({ type: 'log', level, fields: { fields: String(JSON.stringify(fields)).slice(0, 2000) }, message });
      }
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (f) => portLogger({ ...bound, ...f }) };
}

const families = new FamilyRegistry();
const reported = new Set<string>();
/** Families declared since the host last heard, in declaration order. */
function newlyDeclared(metrics: InstanceMetrics): FamilyDefinition[] {
  const out: FamilyDefinition[] = [];
  for (const def of metrics.definitions()) {
    if (reported.has(def.name)) continue;
    reported.add(def.name);
    out.push(def);
  }
  return out;
}

const lifetime = new AbortController();
let collector: Collector;
let metrics: InstanceMetrics;
let cycleAbort: AbortController | undefined;

async function start(): Promise<void> {
  metrics = new InstanceMetrics({ instance: init.name, plugin: init.plugin, families, reservedLabels: new Set(init.reservedLabels) });
  try {
    const mod = (await import(init.pluginUrl)) as Record<string, unknown>;
    const plugin = (mod.default ?? mod.plugin) as Plugin;
    const ctx = new InstanceContext<unknown>({
      name: init.name,
      plugin: init.plugin,
      config: init.config,
      labels: init.labels,
      timeoutMs: init.timeoutMs,
      metrics,
      logger: portLogger(),
      userAgent: init.userAgent,
      signal: lifetime.signal,
    });
    collector = await plugin.create(ctx);
    if (collector === null || typeof collector !== 'object' || typeof collector.collect !== 'function') {
      throw new Error('create() must return an object with a collect() method');
    }
  } catch (err) {
    post({ type: 'create-failed', error: describeError(err) });
    return;
  }
  post({ type: 'ready', declared: newlyDeclared(metrics) });
}

async function cycle(id: number): Promise<void> {
  metrics.beginCycle();
  cycleAbort = new AbortController();
  let error: { message: string; reason: string } | undefined;
  let verdict: TargetVerdict | undefined;
  try {
    const returned = await collector.collect(cycleAbort.signal);
    if (isTargetVerdict(returned)) verdict = { healthy: returned.healthy, ...(returned.reason === undefined ? {} : { reason: String(returned.reason) }) };
  } catch (err) {
    error = { message: describeError(err), reason: isMusterError(err, 'MUSTER_ERR_INVALID_OUTPUT') ? 'invalid-output' : classifyFailure(err) };
  }
  const invalid = metrics.invalidOutput?.message;
  const snapshot = error === undefined && invalid === undefined ? await metrics.snapshot() : [];
  const encoded = snapshot.map((f) => encodeFamily(f, CHUNK_LINES));
  const transfer = encoded.flatMap((f) => [f.nameIndex.buffer, f.values.buffer] as ArrayBuffer[]);
  port.postMessage(
    {
      type: 'result',
      id,
      declared: newlyDeclared(metrics),
      families: encoded,
      ...(invalid === undefined ? {} : { invalid }),
      ...(error === undefined ? {} : { error }),
      ...(verdict === undefined ? {} : { verdict }),
    } satisfies FromWorker,
    transfer,
  );
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'collect') void cycle(message.id);
  else if (message.type === 'close') {
    lifetime.abort();
    cycleAbort?.abort();
    void (async () => {
      try {
        await collector?.close?.();
      } catch (err) {
        portLogger().warn({ err: describeError(err) }, 'collector close() failed');
      }
      post({ type: 'closed' });
    })();
  }
});

void start();
