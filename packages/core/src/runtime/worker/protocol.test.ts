import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderSamples } from '../../metrics/exposition/format.js';
import { SeriesMap } from '../../metrics/series.js';
import type { Sample } from '../../metrics/types.js';
import { parseSamples } from './host.js';
import { CONST_MARK, decodeSamples, encodeFamily, fillMarked, invalidMessage } from './protocol.js';

const samples: Sample[] = [
  { name: 'x_bucket', labels: { route: '/a "quoted"\\back\nline', le: '0.5' }, value: 3 },
  { name: 'x_bucket', labels: { route: 'b', le: '+Inf' }, value: Number.POSITIVE_INFINITY },
  { name: 'x_sum', labels: {}, value: -0.25 },
  { name: 'x_count', labels: { route: 'ünïcödé' }, value: Number.NaN },
];

describe('worker hand-over encoding', () => {
  it('renders marked text that, filled with any constant labels, equals what the host renders', () => {
    const family = encodeFamily({ name: 'x', help: 'X.', kind: 'histogram', samples }, 2);
    assert.equal(family.text?.length, 2, 'two chunks of two lines');
    for (const constLabels of ['', 'collector="a"', 'collector="a",team="w\\"eb"']) {
      const filled = (family.text ?? []).map((c) => fillMarked(c, constLabels)).join('');
      assert.equal(filled, renderSamples(samples, constLabels));
    }
    assert.deepEqual(parseSamples(fillMarked((family.text ?? []).join(''), '')).map((s) => ({ ...s, value: String(s.value) })), samples.map((s) => ({ ...s, value: String(s.value) })));
  });

  it('takes the chunks a series map renders itself, marked the same way', () => {
    const map = new SeriesMap('g', ['a']);
    map.set(['x'], 1);
    map.set(['y"z'], 2);
    const view = map.view();
    const family = encodeFamily({ name: 'g', help: 'G.', kind: 'gauge', count: view.size, get samples() { return view.samples(); }, chunks: (c) => view.chunks(c) }, 2000);
    assert.ok(family.text !== undefined);
    assert.equal((family.text ?? []).map((c) => fillMarked(c, 'collector="i"')).join(''), renderSamples(view.samples(), 'collector="i"'));
    map.set([`m${CONST_MARK}`], 3);
    const marked = map.view();
    const fallback = encodeFamily({ name: 'g', help: 'G.', kind: 'gauge', count: marked.size, get samples() { return marked.samples(); }, chunks: (c) => marked.chunks(c) }, 2000);
    assert.equal(fallback.text, undefined, 'a value holding the mark goes in columns');
  });

  it('falls back to columns when a label value holds the mark, and decodes them in slices', () => {
    const odd: Sample[] = [...samples, { name: 'x_sum', labels: { route: `a${CONST_MARK}b` }, value: 1 }];
    const family = encodeFamily({ name: 'x', help: 'X.', kind: 'histogram', samples: odd }, 2000);
    assert.equal(family.text, undefined);
    assert.equal(family.count, odd.length);
    assert.deepEqual([...decodeSamples(family, 0, 2), ...decodeSamples(family, 2)].map((s) => ({ ...s, value: String(s.value) })), odd.map((s) => ({ ...s, value: String(s.value) })));
  });
});

describe('messages a plugin forges on its worker port', () => {
  it('are told from the protocol, with the reason', () => {
    assert.equal(invalidMessage(null), 'not an object (null)');
    assert.equal(invalidMessage('x'), 'not an object (string)');
    assert.equal(invalidMessage({ type: 'log', level: 'nope', fields: {}, message: 'm' }), 'a log line of an unknown level');
    assert.equal(invalidMessage({ type: 'log', level: 'constructor', fields: {}, message: 'm' }), 'a log line of an unknown level');
    assert.equal(invalidMessage({ type: 'result', id: 1, declared: 7, families: 'x' }), 'a result of the wrong shape');
    assert.equal(invalidMessage({ type: 'ready', declared: null }), 'ready without declared families');
    assert.equal(invalidMessage({ type: 'unhandled', source: 'x', error: { a: 1 } }), 'an unhandled error of the wrong shape');
    assert.match(invalidMessage({ type: 'surprise' }) ?? '', /unknown message type/);
    assert.equal(invalidMessage({ type: 'log', level: 'warn', fields: {}, message: 'm' }), undefined);
    assert.equal(invalidMessage({ type: 'result', id: 2, declared: [], families: [], error: { message: 'm', reason: 'error' } }), undefined);
    assert.equal(invalidMessage({ type: 'closed' }), undefined);
  });
});
