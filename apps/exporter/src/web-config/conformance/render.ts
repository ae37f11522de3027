import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FixtureCerts } from './fixture-certs.js';
import { IS_ENABLED_FILES, TOOLKIT_FILES } from './toolkit-files.js';

/** Writes one of the toolkit's files into the certificates' folder (PEM placeholders filled in); returns its path. */
export function writeToolkitFile(certs: FixtureCerts, name: string, as = name): string {
  const path = join(certs.dir, as);
  if (name === 'somefile') return path;
  const template = TOOLKIT_FILES[name] ?? IS_ENABLED_FILES[name];
  if (template === undefined) throw new Error(`no toolkit file ${name}`);
  const text = template.replace(/\{\{([a-z.]+)\}\}/g, (_, file: string) =>
    certs
      .read(file)
      .trimEnd()
      .split('\n')
      .map((line) => `    ${line}`)
      .join('\n'),
  );
  writeFileSync(path, text);
  return path;
}
