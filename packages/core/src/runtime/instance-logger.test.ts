import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Logger } from '@muster/sdk';
import { InstanceLogger } from './instance-logger.js';

/** A parent logger that records lines with the fields of its chain, and counts the children it made. */
function recorder(enabled: (level: string) => boolean = () => true) {
  const lines: unknown[][] = [];
  let children = 0;
  const make = (bound: Record<string, unknown>): Logger & { isLevelEnabled(level: string): boolean } => {
    const at =
      (level: string) =>
      (...args: unknown[]) => {
        if (enabled(level)) lines.push([level, bound, ...args]);
      };
    return {
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      child(fields) {
        children++;
        return make({ ...bound, ...fields });
      },
      isLevelEnabled: enabled,
    };
  };
  return { root: make({}), lines, children: () => children };
}

test('lines carry collector and plugin, with the arguments as given', () => {
  const { root, lines, children } = recorder();
  const logger = new InstanceLogger(root, 'site-1', 'http-health');
  assert.equal(children(), 0, 'no child before the first line');
  logger.info('plain');
  logger.warn({ a: 1 });
  logger.error({ b: 2 }, 'with a message');
  logger.debug({ c: 3 }, 'debug too');
  assert.equal(children(), 1, 'one child, made once');
  const bound = { collector: 'site-1', plugin: 'http-health' };
  assert.deepEqual(lines, [
    ['info', bound, 'plain'],
    ['warn', bound, { a: 1 }],
    ['error', bound, { b: 2 }, 'with a message'],
    ['debug', bound, { c: 3 }, 'debug too'],
  ]);
});

test('a line below the level makes no child; a child logger of its own carries both sets of fields', () => {
  const { root, lines, children } = recorder((level) => level !== 'debug');
  const logger = new InstanceLogger(root, 'site-2', 'system');
  logger.debug({ x: 1 }, 'dropped');
  assert.equal(children(), 0);
  logger.child({ part: 'cpu' }).info('from a child');
  assert.deepEqual(lines, [['info', { collector: 'site-2', plugin: 'system', part: 'cpu' }, 'from a child']]);
});

test("pino's other methods reach the child: trace and fatal, format arguments, level, bindings", async () => {
  const { pino } = await import('pino');
  const out: string[] = [];
  const root = pino({ level: 'info', base: null, timestamp: false }, { write: (line: string) => out.push(line) });
  const logger = new InstanceLogger(root as unknown as Logger, 'site-3', 'queue-stats') as InstanceLogger & Record<string, unknown>;
  logger.info('queue %s has %d items', 'q1', 5);
  logger.fatal('fatal line');
  logger.trace('below the level');
  assert.equal(logger.isLevelEnabled('trace'), false);
  assert.deepEqual(logger.bindings(), { collector: 'site-3', plugin: 'queue-stats' });
  assert.equal(logger.level, 'info');
  logger.level = 'trace';
  logger.trace('now shown');
  assert.equal(root.level, 'info', "the host's level is unchanged");
  const lines = out.map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(
    lines.map((l) => [l.level, l.collector, l.plugin, l.msg]),
    [
      [30, 'site-3', 'queue-stats', 'queue q1 has 5 items'],
      [60, 'site-3', 'queue-stats', 'fatal line'],
      [10, 'site-3', 'queue-stats', 'now shown'],
    ],
  );
});
