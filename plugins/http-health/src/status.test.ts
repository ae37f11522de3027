import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseStatusList, parseStatusSpec, statusMatches } from './status.js';

test('status specs: codes, classes and ranges', () => {
  assert.deepEqual(parseStatusSpec(204), { min: 204, max: 204 });
  assert.deepEqual(parseStatusSpec('204'), { min: 204, max: 204 });
  assert.deepEqual(parseStatusSpec('3xx'), { min: 300, max: 399 });
  assert.deepEqual(parseStatusSpec('3XX'), { min: 300, max: 399 });
  assert.deepEqual(parseStatusSpec('200-204'), { min: 200, max: 204 });
  for (const bad of [99, 600, 200.5, '6xx', '0xx', '2x', '204-200', '099-200', 'ok', '']) {
    assert.equal(parseStatusSpec(bad), undefined, `${JSON.stringify(bad)} should not parse`);
  }
});

test('statusMatches', () => {
  const ranges = parseStatusList([200, '3xx', '401-403']);
  for (const ok of [200, 300, 399, 401, 403]) assert.ok(statusMatches(ok, ranges), String(ok));
  for (const no of [0, 201, 299, 400, 404, 500]) assert.ok(!statusMatches(no, ranges), String(no));
});
