import { STANDARD_PLUGINS } from '@muster/core';
import { createCommandContext } from '../command-context.js';

/** `muster plugins`: the built-in plugins with one line each. */
export async function pluginsCommand(): Promise<number> {
  const { host } = createCommandContext({ logLevel: 'silent' });
  const names = Object.keys(STANDARD_PLUGINS).sort();
  const width = Math.max(...names.map((n) => n.length));
  let code = 0;
  for (const name of names) {
    try {
      const { plugin } = await host.loader.load(name, process.cwd());
      process.stdout.write(`${name.padEnd(width)}  ${plugin.description ?? ''}\n`);
    } catch (err) {
      process.stdout.write(`${name.padEnd(width)}  (cannot load: ${(err as Error).message})\n`);
      code = 1;
    }
  }
  return code;
}
