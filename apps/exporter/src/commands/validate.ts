import { createHost } from '../host.js';
import { reportError } from './report.js';

/** `muster validate`: reads and checks the whole config; prints every error with its path. */
export async function validateCommand(options: { config?: string }): Promise<number> {
  const host = createHost({ logLevel: 'silent' });
  try {
    const plan = await host.readPlan(options.config);
    process.stdout.write(`${plan.filepath}: valid, ${plan.instances.length} instance(s)\n`);
    for (const i of plan.instances) {
      process.stdout.write(`  ${i.name}: ${i.plugin.name}, schedule ${i.schedule.text}, timeout ${i.timeoutMs}ms\n`);
    }
    return 0;
  } catch (err) {
    return reportError(err);
  }
}
