import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMusterError } from '@muster/core';
import { consoleLogger } from './logger.js';
import { createMuster, type MusterOptions } from './muster.js';

const logger = consoleLogger('silent');

/** Options as a JavaScript caller may pass them, types unchecked. */
const loose = (options: Record<string, unknown>): MusterOptions => ({ logger, ...options }) as MusterOptions;

describe('createMuster options of the wrong type', () => {
  for (const [options, path] of [
    [{ cwd: 42 }, 'options.cwd'],
    [{ configFile: 42 }, 'options.configFile'],
    [{ configFile: '' }, 'options.configFile'],
    [{ resolveFrom: 7 }, 'options.resolveFrom'],
    [{ builtins: 'http-health' }, 'options.builtins'],
    [{ builtins: { web: 1 } }, 'options.builtins.web'],
    [{ env: ['A=1'] }, 'options.env'],
    [{ env: { TOKEN: 5 } }, 'options.env.TOKEN'],
  ] as const) {
    it(`refuses ${JSON.stringify(options)} with MUSTER_ERR_INVALID_ARGUMENT naming ${path}`, () => {
      assert.throws(
        () => createMuster(loose(options)),
        (err: unknown) => isMusterError(err, 'MUSTER_ERR_INVALID_ARGUMENT') && err.message.startsWith(`createMuster ${path}:`),
      );
    });
  }

  it('refuses config and configFile together', () => {
    assert.throws(
      () => createMuster(loose({ config: {}, configFile: 'muster.yaml' })),
      (err: unknown) => isMusterError(err, 'MUSTER_ERR_INVALID_ARGUMENT') && /not both/.test(err.message),
    );
  });

  it('takes well-typed options, a URL for resolveFrom and an env with unset names', async () => {
    const m = createMuster(loose({ cwd: '.', resolveFrom: new URL(import.meta.url), env: { SET: 'x', UNSET: undefined }, builtins: {} }));
    await m.load();
    await m.close();
  });
});
