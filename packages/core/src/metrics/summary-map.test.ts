import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { SlidingQuantiles } from './sliding-quantiles.js';
import { SummaryMap } from './summary-map.js';

function render(map: SummaryMap, constLabels = ''): string {
  return [...map.view().chunks(constLabels)].join('');
}

/** The exact q-quantile of `values` (nearest rank). */
function exact(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

describe('SummaryMap', () => {
  it('renders quantiles, sum and count per label set, quantile label last', () => {
    const map = new SummaryMap('x_bytes', ['op'], { quantiles: [0.5, 0.9] });
    for (let i = 1; i <= 100; i++) map.observe(['read'], i);
    const lines = render(map, 'collector="c"').split('\n');
    assert.match(lines[0] ?? '', /^x_bytes\{collector="c",op="read",quantile="0.5"\} 5\d(\.\d+)?$/);
    assert.match(lines[1] ?? '', /^x_bytes\{collector="c",op="read",quantile="0.9"\} 9\d(\.\d+)?$/);
    assert.equal(lines[2], 'x_bytes_sum{collector="c",op="read"} 5050');
    assert.equal(lines[3], 'x_bytes_count{collector="c",op="read"} 100');
  });

  it('passes promtool with 2,000 label sets, an escaped label value and NaN quantiles', (t) => {
    const map = new SummaryMap('x_bytes', ['id'], { quantiles: [0.5, 0.99], maxAgeSeconds: 600 });
    for (let i = 0; i < 2000; i++) map.observe([`i${i}`], i);
    map.touch(['never "observed"\n']);
    const body = `# HELP x_bytes h\n# TYPE x_bytes summary\n${render(map, 'collector="c"')}`;
    assert.match(body, /^x_bytes\{collector="c",id="never \\"observed\\"\\n",quantile="0.5"\} NaN$/m);
    const promtool = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' }).stdout.trim();
    if (promtool === '') {
      // CI installs promtool and never skips (as @muster/testing's requireTool does).
      assert.notEqual(process.env.CI, 'true', 'promtool is required in CI (Debian package "prometheus")');
      return t.skip('SKIPPED: promtool is not installed (Debian package "prometheus")');
    }
    const check = spawnSync(promtool, ['check', 'metrics'], { input: body, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
  });

  it('keeps its quantiles when fed NaN, +Inf, -Inf and -0 among ordinary values', () => {
    const map = new SummaryMap('x_bytes', [], { quantiles: [0.01, 0.5, 0.99] });
    const values: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const value = i % 7 === 0 ? Number.NaN : i % 11 === 0 ? Number.POSITIVE_INFINITY : i % 13 === 0 ? Number.NEGATIVE_INFINITY : i % 17 === 0 ? -0 : i;
      map.observe([], value);
      if (!Number.isNaN(value)) values.push(value);
    }
    const lines = render(map).split('\n');
    const median = Number(/quantile="0.5"\} (\S+)$/m.exec(lines.join('\n'))?.[1]);
    assert.ok(Math.abs(median - exact(values, 0.5)) < 100, `median ${median}, exact ${exact(values, 0.5)}`);
    assert.match(lines.join('\n'), /^x_bytes\{quantile="0.01"\} -Inf$/m);
    assert.match(lines.join('\n'), /^x_bytes\{quantile="0.99"\} \+Inf$/m);
    assert.match(lines.join('\n'), /^x_bytes_sum NaN$/m);
    assert.match(lines.join('\n'), /^x_bytes_count 10000$/m);
  });

  it('estimates quantiles of 100,000 observations within 1 % of rank', () => {
    const map = new SummaryMap('x_seconds', [], { quantiles: [0.5, 0.9, 0.99] });
    const values: number[] = [];
    for (let i = 0; i < 100_000; i++) {
      const v = Math.exp(Math.sin(i) * 3) * ((i * 7919) % 1000);
      values.push(v);
      map.observe([], v);
    }
    const sorted = [...values].sort((a, b) => a - b);
    for (const [i, q] of [0.5, 0.9, 0.99].entries()) {
      const estimate = map.view().samples()[i]?.value as number;
      const rank = sorted.findIndex((v) => v >= estimate) / sorted.length;
      assert.ok(Math.abs(rank - q) < 0.01, `q=${q}: estimate ${estimate} sits at rank ${rank} (exact ${exact(values, q)})`);
    }
  });

  it('shows NaN quantiles for an accumulating label set with nothing left in its window', () => {
    let now = 0;
    const window = new SlidingQuantiles(10, 5, () => now);
    window.push(3);
    assert.equal(window.quantile(0.5), 3);
    now = 10_500;
    assert.ok(Number.isNaN(window.quantile(0.5)), 'older than the window');
  });
});

describe('SlidingQuantiles', () => {
  it('drops observations older than the window, and keeps those inside it', () => {
    let now = 0;
    const window = new SlidingQuantiles(60, 6, () => now);
    for (let i = 0; i < 1000; i++) window.push(1000); // at t=0: large values
    now = 35_000;
    for (let i = 0; i < 1000; i++) window.push(1); // at t=35 s: small values
    // At t=40 s both halves are in the last minute: the median sits between them.
    now = 40_000;
    const mid = window.quantile(0.25);
    assert.equal(mid, 1);
    assert.equal(window.quantile(0.9), 1000);
    // At t=65 s the t=0 values have left the window (the bucket holding them is emptied).
    now = 65_000;
    assert.equal(window.quantile(0.9), 1);
    // At t=100 s everything is older than a minute.
    now = 100_000;
    assert.ok(Number.isNaN(window.quantile(0.5)));
  });

  it('covers every observation without maxAgeSeconds', () => {
    let now = 0;
    const window = new SlidingQuantiles(undefined, 5, () => now);
    window.push(7);
    now = 10 ** 9;
    assert.equal(window.quantile(0.5), 7);
  });
});
