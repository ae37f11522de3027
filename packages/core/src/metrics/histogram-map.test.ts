import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { Histogram, Registry } from 'prom-client';
import { HistogramMap } from './histogram-map.js';

/** A sample line with its label pairs sorted (label order carries no meaning). */
function normalise(line: string): string {
  return line.replace(/\{(.*)\}/, (_, pairs: string) => `{${pairs.split(',').sort().join(',')}}`);
}

function render(map: HistogramMap, constLabels = ''): string {
  return [...map.view().chunks(constLabels)].join('');
}

/** The lines prom-client renders for the same observations, without its HELP/TYPE. */
async function promClientLines(bounds: number[], observations: [Record<string, string>, number][]): Promise<string[]> {
  const registry = new Registry();
  const h = new Histogram({ name: 'x_seconds', help: 'h', labelNames: ['op'], buckets: bounds, registers: [registry] });
  for (const [labels, v] of observations) h.observe(labels, v);
  return (await registry.metrics()).split('\n').filter((l) => l !== '' && !l.startsWith('#'));
}

describe('HistogramMap', () => {
  it('renders what prom-client renders for the same observations', async () => {
    const bounds = [0.1, 0.5, 1, 2.5];
    const observations: [Record<string, string>, number][] = [
      [{ op: 'read' }, 0.05],
      [{ op: 'read' }, 0.1],
      [{ op: 'read' }, 0.7],
      [{ op: 'write' }, 3],
      [{ op: 'write' }, -1],
    ];
    const map = new HistogramMap('x_seconds', ['op'], bounds);
    for (const [labels, v] of observations) map.observe([labels.op as string], v);
    const ours = render(map).split('\n').filter((l) => l !== '');
    assert.deepEqual(ours.map(normalise), (await promClientLines(bounds, observations)).map(normalise));
    assert.equal(map.size, 2 * (bounds.length + 1 + 2));
  });

  it('shares its names and bounds with histograms of that name and those bounds, and keeps its own copy of the bounds', () => {
    const bounds = [0.1, 0.5, 1];
    const [a, b] = [new HistogramMap('x_seconds', ['op'], bounds), new HistogramMap('x_seconds', [], [0.1, 0.5, 1])];
    bounds.push(5);
    assert.equal(a.upperBounds, b.upperBounds);
    assert.deepEqual(a.upperBounds, [0.1, 0.5, 1]);
    assert.notEqual(new HistogramMap('y_seconds', [], [0.1, 0.5, 1]).upperBounds, a.upperBounds);
    assert.notEqual(new HistogramMap('x_seconds', [], [0.1, 0.5, 2]).upperBounds, a.upperBounds);
    a.observe(['read'], 0.7);
    b.observe([], 2);
    assert.deepEqual(render(a).split('\n').filter((l) => l !== ''), [
      'x_seconds_bucket{op="read",le="0.1"} 0',
      'x_seconds_bucket{op="read",le="0.5"} 0',
      'x_seconds_bucket{op="read",le="1"} 1',
      'x_seconds_bucket{op="read",le="+Inf"} 1',
      'x_seconds_sum{op="read"} 0.7',
      'x_seconds_count{op="read"} 1',
    ]);
    assert.deepEqual(render(b).split('\n').filter((l) => l.includes('le="1"') || l.includes('+Inf')), ['x_seconds_bucket{le="1"} 0', 'x_seconds_bucket{le="+Inf"} 1']);
  });

  it('counts +Inf in the +Inf bucket only', () => {
    const map = new HistogramMap('x_seconds', [], [1]);
    map.observe([], Number.POSITIVE_INFINITY);
    assert.match(render(map), /^x_seconds_bucket\{le="1"\} 0\nx_seconds_bucket\{le="\+Inf"\} 1\nx_seconds_sum \+Inf\n/);
  });

  it('counts NaN in the +Inf bucket only, as client_golang does (never in the lowest bucket)', () => {
    const map = new HistogramMap('x_seconds', [], [1, 2]);
    map.observe([], Number.NaN);
    map.observe([], 0.5);
    assert.deepEqual(render(map).split('\n').filter((l) => l !== ''), [
      'x_seconds_bucket{le="1"} 1',
      'x_seconds_bucket{le="2"} 1',
      'x_seconds_bucket{le="+Inf"} 2',
      'x_seconds_sum NaN',
      'x_seconds_count 2',
    ]);
  });

  it('puts the instance labels first and le last, and escapes label values', () => {
    const map = new HistogramMap('x_seconds', ['path'], [1]);
    map.observe(['a"b\\c\nd'], 0.5);
    assert.equal(
      render(map, 'collector="c1"'),
      [
        'x_seconds_bucket{collector="c1",path="a\\"b\\\\c\\nd",le="1"} 1',
        'x_seconds_bucket{collector="c1",path="a\\"b\\\\c\\nd",le="+Inf"} 1',
        'x_seconds_sum{collector="c1",path="a\\"b\\\\c\\nd"} 0.5',
        'x_seconds_count{collector="c1",path="a\\"b\\\\c\\nd"} 1',
        '',
      ].join('\n'),
    );
    const bare = new HistogramMap('y_seconds', [], [1]);
    bare.observe([], 2);
    assert.equal(render(bare), 'y_seconds_bucket{le="1"} 0\ny_seconds_bucket{le="+Inf"} 1\ny_seconds_sum 2\ny_seconds_count 1\n');
  });

  it('starts a cycle on reset: label sets not observed again vanish, reused slots start from zero', () => {
    const map = new HistogramMap('x_seconds', ['op'], [1]);
    for (let i = 0; i < 100; i++) map.observe([`op${i}`], i);
    assert.equal(render(map).split('\n').filter((l) => l.startsWith('x_seconds_count')).length, 100);
    map.reset();
    map.observe(['op7'], 0.5);
    map.observe(['new'], 0.5);
    const body = render(map);
    assert.deepEqual(
      body.split('\n').filter((l) => l.startsWith('x_seconds_count')),
      ['x_seconds_count{op="op7"} 1', 'x_seconds_count{op="new"} 1'],
    );
    assert.match(body, /^x_seconds_sum\{op="op7"\} 0.5$/m);
    // Swept slots are reused without growing.
    map.reset();
    for (let i = 0; i < 100; i++) map.observe([`again${i}`], 1);
    render(map);
    assert.equal(render(map).split('\n').filter((l) => l.startsWith('x_seconds_count')).length, 100);
  });

  it('grows past its first capacity and passes promtool with 10,000 label sets', (t) => {
    const map = new HistogramMap('x_seconds', ['id', 'kind'], [0.01, 0.1, 1, 10]);
    for (let i = 0; i < 10_000; i++) map.observe([`i${i}`, `k${i % 7}`], (i % 100) / 10);
    const chunks = [...map.view().chunks('collector="c"')];
    assert.ok(chunks.length > 1, 'rendered in several chunks');
    const body = `# HELP x_seconds h\n# TYPE x_seconds histogram\n${chunks.join('')}`;
    assert.equal(body.split('\n').filter((l) => l.startsWith('x_seconds_bucket')).length, 50_000);
    const promtool = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' }).stdout.trim();
    if (promtool === '') {
      // CI installs promtool and never skips (as @muster/testing's requireTool does).
      assert.notEqual(process.env.CI, 'true', 'promtool is required in CI (Debian package "prometheus")');
      return t.skip('SKIPPED: promtool is not installed (Debian package "prometheus")');
    }
    const check = spawnSync(promtool, ['check', 'metrics'], { input: body, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
  });
});
