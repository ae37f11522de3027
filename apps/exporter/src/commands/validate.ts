import { createHost } from '../host.js';
import { describeWebConfig, readWebConfig } from '../web-config/open.js';
import { reportError } from './report.js';

/**
 * `muster validate`: reads and checks the whole config, and the web config (`--web-config` or
 * `server.webConfig`) with the same code `muster start` uses; prints every error with its path.
 */
export async function validateCommand(options: { config?: string; webConfig?: string }): Promise<number> {
  const host = createHost({ logLevel: 'silent' });
  try {
    const plan = await host.readPlan(options.config);
    const web = readWebConfig(plan, options.webConfig);
    process.stdout.write(`${plan.filepath}: valid, ${plan.instances.length} instance(s)\n`);
    for (const i of plan.instances) {
      process.stdout.write(`  ${i.name}: ${i.plugin.name}, schedule ${i.schedule.text}, timeout ${i.timeoutMs}ms\n`);
    }
    if (web !== undefined) process.stdout.write(`${web.file}: valid web config (${describeWebConfig(web)})\n`);
    return 0;
  } catch (err) {
    return reportError(err);
  }
}
