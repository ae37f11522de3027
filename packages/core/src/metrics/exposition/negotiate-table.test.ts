import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acceptsGzip, MAX_ACCEPT_LENGTH, negotiate } from './negotiate.js';

const TEXT = 'text/plain; version=0.0.4; charset=utf-8';
const OM1 = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
const OM001 = 'application/openmetrics-text; version=0.0.1; charset=utf-8';

/** Accept header → content type answered. Cases follow Prometheus' Go client (expfmt) unless noted. */
const ACCEPT: readonly [string | undefined, string, string][] = [
  // no header, wildcards
  [undefined, TEXT, 'no Accept header'],
  ['', TEXT, 'empty header'],
  ['*/*', TEXT, 'any type'],
  ['*', TEXT, 'bare * (read as */*)'],
  ['text/*', TEXT, 'text/* matches no version: falls back to text'],
  ['application/*', TEXT, 'application/* has no version: falls back to text'],
  ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', TEXT, 'a browser'],
  // versions
  ['text/plain', TEXT, 'text without a version is 0.0.4'],
  ['text/plain;version=0.0.4', TEXT, 'text 0.0.4'],
  ['text/plain;version=1.0.0', TEXT, 'unknown text version: fallback, still text'],
  ['application/openmetrics-text', OM001, 'OpenMetrics without a version is 0.0.1'],
  ['application/openmetrics-text;version=0.0.1', OM001, 'OpenMetrics 0.0.1'],
  ['application/openmetrics-text;version=1.0.0', OM1, 'OpenMetrics 1.0.0'],
  ['application/openmetrics-text; version="1.0.0"', OM1, 'quoted version'],
  ['application/openmetrics-text;version=2.0.0', TEXT, 'unknown OpenMetrics version: text, never a guess'],
  ['application/openmetrics-text;version=0.0.4', TEXT, 'a text version on OpenMetrics: text'],
  ['application/openmetrics-text;version=1.0.0;charset=utf-8', OM1, 'charset is not a version'],
  ['application/openmetrics-text;version=1.0.0;escaping=underscores', OM1, 'other parameters are ignored'],
  // q-values
  ['text/plain;version=0.0.4;q=1,application/openmetrics-text;version=1.0.0;q=0.5', TEXT, 'the higher q wins, whatever the order'],
  ['application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.6', TEXT, 'text has the higher q'],
  ['text/plain;version=0.0.4;q=0.3,application/openmetrics-text;version=1.0.0;q=0.4', OM1, 'OpenMetrics has the higher q'],
  [
    'application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2',
    OM1,
    "Prometheus 2's header",
  ],
  [
    'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1',
    OM1,
    'protobuf first (not offered), then OpenMetrics',
  ],
  ['application/openmetrics-text;version=2.0.0;q=0.9,application/openmetrics-text;version=1.0.0;q=0.8', OM1, 'unknown version skipped for the next range'],
  ['application/openmetrics-text;version=0.0.1;q=0.7,application/openmetrics-text;version=1.0.0;q=0.8', OM1, 'the version with the higher q'],
  ['application/openmetrics-text;q=0, text/plain', TEXT, 'q=0 refuses (RFC 9110)'],
  ['application/openmetrics-text;version=1.0.0;q=0', TEXT, 'q=0 alone: nothing acceptable, text (the Go client would pick OpenMetrics)'],
  ['*/*;q=0.1,application/openmetrics-text;version=1.0.0;q=0.1', OM1, 'at equal q the specific range beats the wildcard'],
  ['application/openmetrics-text;version=1.0.0;q=1.0', OM1, 'q=1.0'],
  // garbage
  ['garbage', TEXT, 'not a media range'],
  [';;;,,,', TEXT, 'separators only'],
  ['text/plain/extra', TEXT, 'too many slashes'],
  ['/openmetrics-text', TEXT, 'no type'],
  ['application/openmetrics-text;version=1.0.0;q=abc', TEXT, 'q not a number: not acceptable'],
  ['application/openmetrics-text;version=1.0.0;q=2', TEXT, 'q above 1: not acceptable'],
  ['application/openmetrics-text;version=1.0.0;q=-1', TEXT, 'negative q: not acceptable'],
  ['application/openmetrics-text;version', OM001, 'a parameter without a value is ignored'],
  ['APPLICATION/OpenMetrics-Text;Version=1.0.0', OM1, 'type, subtype and parameter names are case-insensitive (RFC 9110)'],
  [`${'x'.repeat(10_000)},application/openmetrics-text;version=1.0.0`, TEXT, 'only the first 4 KiB are read'],
  ['\u0000\uffff', TEXT, 'binary junk'],
  [cutAt('application/openmetrics-text;version=1.0.0', ';q=0.1,text/plain;q=0.9'), TEXT, 'a range cut by the 4 KiB limit is dropped, never read at q=1'],
];

/** A header whose 4 KiB limit falls right after `kept`, with `rest` beyond it (padding ranges first). */
function cutAt(kept: string, rest: string): string {
  const pad = 'x/y;q=0.001,'.repeat(Math.ceil(MAX_ACCEPT_LENGTH / 12));
  return `${pad.slice(0, MAX_ACCEPT_LENGTH - kept.length - 1)},${kept}${rest}`;
}

describe('content negotiation table', () => {
  for (const [accept, expected, why] of ACCEPT) {
    it(`${why}: ${JSON.stringify(accept)?.slice(0, 80)}`, () => {
      const got = negotiate(accept);
      assert.equal(got.contentType, expected);
      assert.equal(got.format, expected === TEXT ? 'text' : 'openmetrics');
    });
  }

  it('reads a header sent several times as one list', () => {
    assert.equal(negotiate(['text/plain;q=0.1', 'application/openmetrics-text;version=1.0.0']).contentType, OM1);
  });

  const ENCODING: readonly [string | undefined, boolean][] = [
    [undefined, false],
    ['', false],
    ['gzip', true],
    ['gzip, deflate, br, zstd', true],
    ['x-gzip', true],
    ['*', true],
    ['identity', false],
    ['gzip;q=0', false],
    ['gzip;q=0.5, identity', false],
    ['identity;q=0.5, gzip', true],
    ['br;q=1, gzip;q=0.2', true],
    ['GZip', true],
    ['garbage;;;', false],
    [cutAt('gzip', ';q=0,identity'), false],
  ];
  for (const [header, expected] of ENCODING) {
    it(`Accept-Encoding ${JSON.stringify(header)?.slice(-40)} → ${expected ? 'gzip' : 'as is'}`, () => {
      assert.equal(acceptsGzip(header), expected);
    });
  }
});
