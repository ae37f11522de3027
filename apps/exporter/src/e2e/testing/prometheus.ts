import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** One series of an instant query's answer. */
export interface Vector {
  metric: Record<string, string>;
  value: [number, string];
}

/** A real Prometheus on loopback, and how to ask it. */
export interface RunningPrometheus {
  readonly process: ChildProcess;
  /** An instant query; `[]` while Prometheus is not answering yet. */
  query(q: string): Promise<Vector[]>;
}

/**
 * Starts `binary` with `dir/prometheus.yml`, its data in `dir/data`, listening on 127.0.0.1:`port`;
 * its log goes to `onLog`.
 */
export function startPrometheus(binary: string, dir: string, port: number, onLog: (text: string) => void): RunningPrometheus {
  const child = spawn(
    binary,
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stderr?.on('data', (d) => onLog(String(d)));
  return {
    process: child,
    async query(q) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(q)}`);
        if (!res.ok) return [];
        return ((await res.json()) as { data: { result: Vector[] } }).data.result;
      } catch {
        return [];
      }
    },
  };
}
