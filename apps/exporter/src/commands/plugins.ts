import { BUILTIN_PLUGINS } from '../builtins.js';
import { createCommandContext } from '../command-context.js';

/** `muster plugins`: the built-in plugins with one line each. */
export async function pluginsCommand(): Promise<number> {
  const context = createCommandContext({ logLevel: 'silent' });
  const names = Object.keys(BUILTIN_PLUGINS).sort();
  const width = Math.max(...names.map((n) => n.length));
  let code = 0;
  for (const name of names) {
    try {
      const { plugin } = await context.loader.load(name, process.cwd());
      process.stdout.write(`${name.padEnd(width)}  ${plugin.description ?? ''}\n`);
    } catch (err) {
      process.stdout.write(`${name.padEnd(width)}  (cannot load: ${(err as Error).message})\n`);
      code = 1;
    }
  }
  return code;
}
