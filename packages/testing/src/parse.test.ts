import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findSamples, parseExposition, sampleValue } from './parse.js';

const SAMPLE_TEXT = [
  '# HELP app_jobs Jobs known, by "folder".',
  '# TYPE app_jobs gauge',
  'app_jobs{collector="j1",folder="a \\"quoted\\" name"} 3',
  'app_jobs{collector="j1",folder="back\\\\slash"} 4',
  'app_jobs{collector="j1",folder="two\\nlines"} 5',
  'app_jobs{collector="j1",folder="tab\there, ünïcode, a=b, {x}"} 6',
  'app_jobs{collector="j1",folder=""} 7',
  '# HELP app_latency_seconds Latency with a \\\\ backslash\\nand a newline.',
  '# TYPE app_latency_seconds histogram',
  'app_latency_seconds_bucket{le="0.1"} 1',
  'app_latency_seconds_bucket{le="+Inf"} 3',
  'app_latency_seconds_sum 2.5',
  'app_latency_seconds_count 3',
  '# HELP app_checks_total Checks run.',
  '# TYPE app_checks_total counter',
  'app_checks_total 12 1700000000000',
  '# HELP app_odd Odd values.',
  '# TYPE app_odd gauge',
  'app_odd{v="nan"} NaN',
  'app_odd{v="inf"} +Inf',
  'app_odd{v="-inf"} -Inf',
  'app_odd{v="exp"} 1.5e-3',
  '',
].join('\n');

describe('parseExposition', () => {
  const parsed = parseExposition(SAMPLE_TEXT);

  it('finds no problem in a well-formed exposition', () => {
    assert.deepEqual(parsed.problems, []);
  });

  it('groups samples into families with their HELP and TYPE', () => {
    assert.deepEqual(
      parsed.families.map((f) => [f.name, f.type, f.samples.length]),
      [
        ['app_jobs', 'gauge', 5],
        ['app_latency_seconds', 'histogram', 4],
        ['app_checks_total', 'counter', 1],
        ['app_odd', 'gauge', 4],
      ],
    );
    assert.equal(parsed.families[0]?.help, 'Jobs known, by "folder".');
    assert.equal(parsed.families[1]?.help, 'Latency with a \\ backslash\nand a newline.');
    assert.equal(parsed.samples.length, 14);
  });

  it('unescapes label values', () => {
    const folders = findSamples(parsed, 'app_jobs').map((s) => s.labels.folder);
    assert.deepEqual(folders, ['a "quoted" name', 'back\\slash', 'two\nlines', 'tab\there, ünïcode, a=b, {x}', '']);
    assert.deepEqual(findSamples(parsed, 'app_jobs')[0]?.labels, { collector: 'j1', folder: 'a "quoted" name' });
  });

  it('reads histogram samples by their full names', () => {
    assert.equal(sampleValue(parsed, 'app_latency_seconds_bucket', { le: '+Inf' }), 3);
    assert.equal(sampleValue(parsed, 'app_latency_seconds_sum'), 2.5);
    assert.equal(sampleValue(parsed, 'app_latency_seconds_count'), 3);
  });

  it('reads values, ignoring a timestamp, including NaN and infinities', () => {
    assert.equal(sampleValue(parsed, 'app_checks_total'), 12);
    assert.ok(Number.isNaN(sampleValue(parsed, 'app_odd', { v: 'nan' })));
    assert.equal(sampleValue(parsed, 'app_odd', { v: 'inf' }), Number.POSITIVE_INFINITY);
    assert.equal(sampleValue(parsed, 'app_odd', { v: '-inf' }), Number.NEGATIVE_INFINITY);
    assert.equal(sampleValue(parsed, 'app_odd', { v: 'exp' }), 0.0015);
  });

  it('reads OpenMetrics family names: counters without _total, info without _info, # EOF', () => {
    const om = parseExposition(
      [
        '# HELP app_checks Checks run.',
        '# TYPE app_checks counter',
        'app_checks_total 2',
        '# HELP app_build Build.',
        '# TYPE app_build info',
        'app_build_info{version="1.0"} 1',
        '# HELP app_state State.',
        '# TYPE app_state stateset',
        'app_state{app_state="up"} 1',
        'app_state{app_state="down"} 0',
        '# EOF',
        '',
      ].join('\n'),
    );
    assert.deepEqual(om.problems, []);
    assert.deepEqual(
      om.families.map((f) => [f.name, f.type, f.samples.map((s) => s.name)]),
      [
        ['app_checks', 'counter', ['app_checks_total']],
        ['app_build', 'info', ['app_build_info']],
        ['app_state', 'stateset', ['app_state', 'app_state']],
      ],
    );
  });

  it('reports a duplicate HELP and TYPE', () => {
    const result = parseExposition(
      ['# HELP x_a A.', '# TYPE x_a gauge', 'x_a{collector="1"} 1', '# HELP x_a A.', '# TYPE x_a gauge', 'x_a{collector="2"} 2', ''].join('\n'),
    );
    assert.ok(result.problems.includes('duplicate # HELP x_a'), result.problems.join('; '));
    assert.ok(result.problems.includes('duplicate # TYPE x_a'), result.problems.join('; '));
    // The samples are still read.
    assert.equal(findSamples(result, 'x_a').length, 2);
  });

  it('reports a family split in two places', () => {
    const result = parseExposition(['# TYPE x_a gauge', 'x_a 1', '# TYPE x_b gauge', 'x_b 1', 'x_a 2', ''].join('\n'));
    assert.ok(result.problems.some((p) => p.includes('"x_a" appears in two places')), result.problems.join('; '));
  });

  it('reports malformed lines, unquoted and repeated labels', () => {
    const result = parseExposition(['x_a{a="1"}', 'x_b{a=1} 2', 'x_c{a="1",a="2"} 3', 'not a sample line', ''].join('\n'));
    assert.ok(result.problems.some((p) => p.startsWith('malformed line: x_a')), result.problems.join('; '));
    assert.ok(result.problems.some((p) => p.startsWith('unquoted label value')), result.problems.join('; '));
    assert.ok(result.problems.some((p) => p.startsWith('label "a" repeated')), result.problems.join('; '));
    assert.ok(result.problems.some((p) => p === 'malformed line: not a sample line'), result.problems.join('; '));
  });

  it(
    'reports a sample value that is not a number',
        () => {
      const result = parseExposition('# TYPE x gauge\nx undefined\n');
      assert.equal(result.problems.length, 1, result.problems.join('; '));
    },
  );
});

describe('findSamples and sampleValue', () => {
  const parsed = parseExposition('a{x="1",y="1"} 1\na{x="1",y="2"} 2\nb 3\n');

  it('match by name and a subset of labels', () => {
    assert.equal(findSamples(parsed, 'a').length, 2);
    assert.equal(findSamples(parsed, 'a', { x: '1' }).length, 2);
    assert.deepEqual(
      findSamples(parsed.samples, 'a', { y: '2' }).map((s) => s.value),
      [2],
    );
    assert.deepEqual(findSamples(parsed, 'c'), []);
  });

  it('sampleValue insists on exactly one match', () => {
    assert.equal(sampleValue(parsed, 'b'), 3);
    assert.throws(() => sampleValue(parsed, 'a', { x: '1' }), /found 2/);
    assert.throws(() => sampleValue(parsed, 'c'), /found 0/);
  });
});
