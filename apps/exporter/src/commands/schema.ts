import { writeFileSync } from 'node:fs';
import { catalog } from '../reference/catalog.js';
import { musterJsonSchema } from '../reference/json-schema.js';
import { createCommandContext } from '../command-context.js';
import { reportError } from './report.js';

/**
 * `muster schema [--config FILE] [--output FILE]`: the JSON Schema of the config file — core's
 * keys and the `config` block of every built-in plugin, plus the plugins FILE names (packages and
 * paths, resolved from its folder). Point an editor at it with a first line of
 * `# yaml-language-server: $schema=muster.schema.json`.
 */
export async function schemaCommand(options: { config?: string; output?: string }): Promise<number> {
  const { host } = createCommandContext({ logLevel: 'silent' });
  let text: string;
  try {
    const onWarning = (message: string) => process.stderr.write(`muster: warning: ${message}\n`);
    text = `${JSON.stringify(musterJsonSchema(await catalog(host.loader, options.config), { onWarning }), null, 2)}\n`;
  } catch (err) {
    return reportError(err);
  }
  if (options.output !== undefined) {
    writeFileSync(options.output, text);
    process.stderr.write(`muster: wrote ${options.output}\n`);
  } else {
    await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
  }
  return 0;
}
