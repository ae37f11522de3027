import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Exporter, startExporter } from '../../e2e/testing/exporter-process.js';

/** A muster started on a web config: listening, or refused with its output. */
export interface Launched {
  readonly exporter: Exporter;
  readonly port: number;
  /** True once muster said it listens; false when it exited first. */
  readonly listening: boolean;
  readonly exitCode: number | null;
  readonly output: () => string;
}

/**
 * Starts `muster start` on `dir/muster.yaml` (no instances) with `--web-config webFile` (none
 * when null) and waits until it listens or exits, however long that takes on a busy machine.
 */
export async function launch(dir: string, webFile: string | null): Promise<Launched> {
  const config = join(dir, 'muster.yaml');
  writeFileSync(config, 'plugins: []\n');
  const exporter = await startExporter(config, { args: webFile === null ? [] : ['--web-config', webFile], waitFor: 'none' });
  for (;;) {
    if (exporter.output().includes('"msg":"muster is listening"')) {
      return { exporter, port: exporter.port, listening: true, exitCode: null, output: exporter.output };
    }
    if (exporter.process.exitCode !== null) {
      const exitCode = await exporter.exited();
      return { exporter, port: exporter.port, listening: false, exitCode, output: exporter.output };
    }
    await sleep(25);
  }
}
