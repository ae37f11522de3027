import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Logger } from '@muster/sdk';
import { probeLogger } from './probe-logger.js';

describe('probeLogger', () => {
  it('writes warnings and info of probe collectors, and of their children, as debug lines; errors stay errors', () => {
    const lines: string[] = [];
    const recorder = (prefix: string): Logger => ({
      debug: (...args: unknown[]) => void lines.push(`${prefix}debug ${String(args.at(-1))}`),
      info: (...args: unknown[]) => void lines.push(`${prefix}info ${String(args.at(-1))}`),
      warn: (...args: unknown[]) => void lines.push(`${prefix}warn ${String(args.at(-1))}`),
      error: (...args: unknown[]) => void lines.push(`${prefix}error ${String(args.at(-1))}`),
      child: (fields) => recorder(`${prefix}${JSON.stringify(fields)} `),
    });
    const logger = probeLogger(recorder(''));
    logger.warn('a');
    logger.info('b');
    logger.child({ collector: 'web/x' }).warn({ reason: 'timeout' }, 'c');
    logger.error('d');
    assert.deepEqual(lines, ['debug a', 'debug b', '{"collector":"web/x"} debug c', 'error d']);
  });
});
