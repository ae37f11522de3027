import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CONTENT_TYPES,
  escapeHelp,
  escapeLabelValue,
  formatValue,
  renderFamilies,
  renderHeader,
  renderLabelPairs,
  renderSamples,
} from './format.js';
import type { FamilySnapshot, Sample } from '../types.js';

describe('escapeLabelValue', () => {
  it('escapes backslash, double quote and newline', () => {
    assert.equal(escapeLabelValue('a"b'), 'a\\"b');
    assert.equal(escapeLabelValue('C:\\path'), 'C:\\\\path');
    assert.equal(escapeLabelValue('one\ntwo'), 'one\\ntwo');
    // A backslash before an n stays a backslash and an n: no confusion with a newline.
    assert.equal(escapeLabelValue('\\n'), '\\\\n');
    assert.equal(escapeLabelValue('"\\\n"'), '\\"\\\\\\n\\"');
  });

  it('leaves tab, unicode and the empty string unchanged', () => {
    assert.equal(escapeLabelValue('a\tb'), 'a\tb');
    assert.equal(escapeLabelValue('Zürich ✓ 東京 🚀'), 'Zürich ✓ 東京 🚀');
    assert.equal(escapeLabelValue(''), '');
  });
});

describe('escapeHelp', () => {
  it('escapes backslash and newline, but not double quotes, in text format', () => {
    assert.equal(escapeHelp('a\\b\nc "quoted"', 'text'), 'a\\\\b\\nc "quoted"');
  });

  it('also escapes double quotes in OpenMetrics', () => {
    assert.equal(escapeHelp('a\\b\nc "quoted"', 'openmetrics'), 'a\\\\b\\nc \\"quoted\\"');
  });
});

describe('formatValue', () => {
  it('writes NaN and infinities the way Prometheus parses them', () => {
    assert.equal(formatValue(Number.NaN), 'NaN');
    assert.equal(formatValue(Number.POSITIVE_INFINITY), '+Inf');
    assert.equal(formatValue(Number.NEGATIVE_INFINITY), '-Inf');
  });

  it('writes finite numbers so that they parse back to the same value', () => {
    for (const n of [0, 1, -1.5, 0.1, 1e-9, 123456789.123, 1e21, Number.MAX_SAFE_INTEGER]) {
      assert.equal(Number(formatValue(n)), n);
      assert.match(formatValue(n), /^-?[0-9.e+-]+$/);
    }
  });
});

describe('renderLabelPairs', () => {
  it('joins escaped pairs with commas, in insertion order, and skips undefined values', () => {
    const labels = { b: 'x"y', a: '', c: undefined } as unknown as Record<string, string>;
    assert.equal(renderLabelPairs(labels), 'b="x\\"y",a=""');
    assert.equal(renderLabelPairs({}), '');
  });
});

describe('renderSamples', () => {
  const samples: Sample[] = [
    { name: 'x', labels: {}, value: 1 },
    { name: 'x', labels: { path: 'a\nb' }, value: Number.NaN },
  ];

  it('renders one line per sample, const labels first', () => {
    assert.equal(renderSamples(samples, ''), 'x 1\nx{path="a\\nb"} NaN\n');
    assert.equal(renderSamples(samples, 'collector="c1"'), 'x{collector="c1"} 1\nx{collector="c1",path="a\\nb"} NaN\n');
  });
});

describe('renderHeader and renderFamilies', () => {
  const counter: FamilySnapshot = {
    name: 'app_requests_total',
    help: 'Requests "served".',
    kind: 'counter',
    samples: [{ name: 'app_requests_total', labels: {}, value: 3 }],
  };
  const info: FamilySnapshot = {
    name: 'app_build_info',
    help: 'Build.',
    kind: 'info',
    samples: [{ name: 'app_build_info', labels: { version: '1.2' }, value: 1 }],
  };
  const stateset: FamilySnapshot = {
    name: 'app_state',
    help: 'State.',
    kind: 'stateset',
    samples: [
      { name: 'app_state', labels: { app_state: 'up' }, value: 1 },
      { name: 'app_state', labels: { app_state: 'down' }, value: 0 },
    ],
  };

  it('names a counter family x_total in text format and x in OpenMetrics, keeping x_total samples', () => {
    assert.equal(
      renderFamilies([counter], 'text'),
      '# HELP app_requests_total Requests "served".\n# TYPE app_requests_total counter\napp_requests_total 3\n',
    );
    assert.equal(
      renderFamilies([counter], 'openmetrics'),
      '# HELP app_requests Requests \\"served\\".\n# TYPE app_requests counter\napp_requests_total 3\n',
    );
  });

  it('renders info as a gauge in text format and as info (family without _info) in OpenMetrics', () => {
    assert.equal(
      renderFamilies([info], 'text'),
      '# HELP app_build_info Build.\n# TYPE app_build_info gauge\napp_build_info{version="1.2"} 1\n',
    );
    assert.equal(
      renderFamilies([info], 'openmetrics'),
      '# HELP app_build Build.\n# TYPE app_build info\napp_build_info{version="1.2"} 1\n',
    );
  });

  it('renders a state set as a gauge in text format and as stateset in OpenMetrics', () => {
    const text = renderFamilies([stateset], 'text');
    assert.match(text, /^# TYPE app_state gauge$/m);
    assert.match(text, /^app_state\{app_state="up"\} 1$/m);
    assert.match(text, /^app_state\{app_state="down"\} 0$/m);
    assert.match(renderFamilies([stateset], 'openmetrics'), /^# TYPE app_state stateset$/m);
  });

  it('keeps gauge, histogram and summary names and types in both formats', () => {
    for (const kind of ['gauge', 'histogram', 'summary'] as const) {
      for (const format of ['text', 'openmetrics'] as const) {
        assert.equal(
          renderHeader({ name: 'app_x', help: 'h', kind }, format),
          `# HELP app_x h\n# TYPE app_x ${kind}\n`,
        );
      }
    }
  });

  it('skips families without samples and prefixes const labels', () => {
    const empty: FamilySnapshot = { name: 'app_empty', help: 'h', kind: 'gauge', samples: [] };
    const out = renderFamilies([empty, counter], 'text', 'collector="a"');
    assert.equal(out.includes('app_empty'), false);
    assert.match(out, /^app_requests_total\{collector="a"\} 3$/m);
  });

  it('has a content type per format', () => {
    assert.match(CONTENT_TYPES.text, /^text\/plain; version=0\.0\.4/);
    assert.match(CONTENT_TYPES.openmetrics, /^application\/openmetrics-text; version=1\.0\.0/);
  });
});
