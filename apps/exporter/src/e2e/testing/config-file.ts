import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes `text` as muster.yaml in a fresh temp folder and returns its path. */
export function writeConfig(text: string, name = 'muster.yaml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'muster-test-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}
