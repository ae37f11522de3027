import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Gauge, Histogram, Registry } from 'prom-client';
import { CHUNK_LINES } from './exposition/format.js';
import { HistogramMap } from './histogram-map.js';
import { SeriesMap } from './series.js';
import { SummaryMap } from './summary-map.js';

/** Sample lines with label pairs sorted (label order carries no meaning), without HELP/TYPE. */
function lines(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.replace(/\{(.*)\}/, (_, pairs: string) => `{${pairs.split(',').sort().join(',')}}`));
}

describe('a family rendered in one pass (SeriesView.text)', () => {
  it('renders what prom-client renders, for a gauge and a histogram with constant labels', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ collector: 'web' });
    const gauge = new Gauge({ name: 'g', help: 'h', labelNames: ['path'], registers: [registry] });
    const hist = new Histogram({ name: 'd_seconds', help: 'h', labelNames: ['op'], buckets: [0.01, 0.1, 1], registers: [registry] });
    const ours = new SeriesMap('g', ['path']);
    const ourHist = new HistogramMap('d_seconds', ['op'], [0.01, 0.1, 1]);
    for (const [path, v] of [
      ['/a', 1],
      ['/b "quoted"\n', -2.5],
    ] as const) {
      gauge.set({ path }, v);
      ours.set([path], v);
    }
    for (const [op, v] of [
      ['read', 0.005],
      ['read', 0.5],
      ['write', 7],
    ] as const) {
      hist.observe({ op }, v);
      ourHist.observe([op], v);
    }
    const text = `${ours.view().text('collector="web"')}${ourHist.view().text('collector="web"')}`;
    assert.deepEqual(lines(text), lines(await registry.metrics()));
  });

  it('equals the chunks joined, for every kind', () => {
    const series = new SeriesMap('s', ['a', 'b']);
    const hist = new HistogramMap('h', []);
    const summary = new SummaryMap('q', ['op']);
    for (let i = 0; i < 5; i++) {
      series.set([`x${i}`, 'y'], i);
      hist.observe([], i / 10);
      summary.observe([`op${i % 2}`], i);
    }
    for (const family of [series, hist, summary]) {
      const view = family.view();
      const whole = view.text('c="1"');
      assert.notEqual(whole, undefined);
      assert.equal(whole, [...view.chunks('c="1"')].join(''), family.name);
      assert.ok((whole as string).split('\n').length > 1, family.name);
    }
  });

  it('declines a family larger than one chunk, counting what a summary quantile costs', () => {
    const big = new SeriesMap('s', ['i']);
    for (let i = 0; i <= CHUNK_LINES; i++) big.set([String(i)], i);
    assert.equal(big.view().text(''), undefined);
    assert.ok([...big.view().chunks('')].length >= 2);

    // 20 label sets of 5 lines are 100 lines, but reading their quantiles costs past a chunk.
    const summary = new SummaryMap('q', ['op']);
    for (let i = 0; i < 20; i++) summary.observe([`op${i}`], i);
    assert.equal(summary.size, 100);
    assert.equal(summary.view().text(''), undefined);
    const small = new SummaryMap('q', ['op']);
    small.observe(['only'], 1);
    assert.match(small.view().text('') as string, /^q\{op="only",quantile="0.5"\} 1\n/);
  });

  it('sweeps a label set that was not written again, and reuses its slot', () => {
    class CountingMap extends SeriesMap {
      readonly capacities: number[] = [];
      override grow(capacity: number): void {
        this.capacities.push(capacity);
        super.grow(capacity);
      }
    }
    const map = new CountingMap('s', ['k']);
    map.set(['old'], 1);
    map.view().text('');
    map.reset();
    map.set(['new'], 2);
    assert.equal(map.view().text(''), 's{k="new"} 2\n');
    map.reset();
    map.set(['newer'], 3);
    assert.equal(map.view().text(''), 's{k="newer"} 3\n');
    // Two label sets were live at once at most: the third took the swept slot of the first.
    assert.deepEqual(map.capacities, [1, 2]);
  });
});
