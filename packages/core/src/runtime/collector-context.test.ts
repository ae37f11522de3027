import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '@muster/sdk';
import { InstanceContext } from './collector-context.js';

const fields = (name: string) => ({
  name,
  plugin: 'p',
  config: {},
  labels: {},
  timeoutMs: 5000,
  metrics: {} as never,
  logger: silentLogger,
  userAgent: 'muster/0.0.0',
  signal: new AbortController().signal,
});

test('ctx.http is an own, enumerable property: spreading the context keeps it, as with an object literal', () => {
  const ctx = new InstanceContext(fields('a'));
  assert.ok(Object.keys(ctx).includes('http'));
  const copy = { ...ctx, logger: silentLogger };
  assert.equal(typeof copy.http.get, 'function');
  assert.equal(copy.http, ctx.http, 'the one shared client');
  assert.equal(new InstanceContext(fields('b')).http, ctx.http, 'shared by instances with the same timeout and user agent');
  assert.notEqual(new InstanceContext({ ...fields('c'), timeoutMs: 9000 }).http, ctx.http);
});
