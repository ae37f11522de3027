import assert from 'node:assert/strict';
import { test } from 'node:test';
import { durations } from './histogram.js';

const F = 'http_health_request_duration_seconds';
/** One instance's histogram in the text format, from cumulative counts per bound. */
function histogram(collector: string, counts: Record<string, number>, sum: number): string {
  const lines = Object.entries(counts).map(([le, c]) => `${F}_bucket{collector="${collector}",le="${le}"} ${c}`);
  const total = counts['+Inf'] ?? 0;
  return [...lines, `${F}_sum{collector="${collector}"} ${sum}`, `${F}_count{collector="${collector}"} ${total}`].join('\n');
}

test('the p99 is interpolated in the summed buckets, and the share within 10 ms is read at its bound', () => {
  // 200 observations: 190 in (0.002, 0.003], 10 in (0.01, 0.015].
  const body = [
    histogram('a', { '0.002': 0, '0.003': 95, '0.01': 95, '0.015': 100, '+Inf': 100 }, 0.5),
    histogram('b', { '0.002': 0, '0.003': 95, '0.01': 95, '0.015': 100, '+Inf': 100 }, 0.3),
  ].join('\n');
  const d = durations(body, F);
  assert.equal(d.observations, 200);
  assert.equal(d.within, 0.95);
  // Rank 198 of 200: 8 of the 10 in (0.01, 0.015].
  assert.ok(Math.abs(d.p99 - (0.01 + 0.005 * (8 / 10))) < 1e-12, String(d.p99));
  assert.ok(Math.abs(d.medianMean - 0.005) < 1e-12, String(d.medianMean));
});

test('with an earlier body, only the observations made since then count', () => {
  const before = histogram('a', { '0.003': 10, '0.01': 10, '0.25': 100, '+Inf': 100 }, 10);
  const after = histogram('a', { '0.003': 110, '0.01': 110, '0.25': 200, '+Inf': 200 }, 10.2);
  const all = durations(after, F);
  const since = durations(after, F, before);
  assert.equal(all.observations, 200);
  assert.equal(since.observations, 100);
  assert.equal(since.within, 1);
  assert.ok(since.p99 <= 0.003, String(since.p99));
  assert.ok(all.p99 > 0.01, String(all.p99));
  assert.ok(Math.abs(since.medianMean - 0.002) < 1e-12, String(since.medianMean));
});
