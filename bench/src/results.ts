import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

/** Where every benchmark writes its figures: `bench/results/`. */
export const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

/**
 * Writes one benchmark's figures to `bench/results/<name>.json`, stamped with the date, the Node
 * version and the load average (figures of a busy machine read differently).
 */
export function writeResults(name: string, figures: Readonly<Record<string, unknown>>): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamped = { date: new Date().toISOString(), node: process.version, loadavg: loadavg(), ...figures };
  writeFileSync(`${RESULTS_DIR}${name}.json`, `${JSON.stringify(stamped, null, 2)}\n`);
}
