import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_BUCKETS, DEFAULT_MAX_BODY_BYTES } from './config.js';
import plugin from './index.js';

/** `path: message` lines, as muster prints them. */
function problems(config: unknown): string[] {
  const result = plugin.configSchema.safeParse(config);
  assert.equal(result.success, false, `expected ${JSON.stringify(config)} to be rejected`);
  return result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
}

function assertProblem(config: unknown, pattern: RegExp): void {
  const lines = problems(config);
  assert.ok(lines.some((l) => pattern.test(l)), `expected ${pattern} in:\n${lines.join('\n')}`);
}

const url = 'https://example.com/health';

describe('config schema', () => {
  test('fills every default', () => {
    const parsed = plugin.configSchema.parse({ url });
    assert.deepEqual(parsed, {
      url,
      method: 'GET',
      headers: {},
      expectedStatus: ['2xx'],
      tls: { insecureSkipVerify: false },
      followRedirects: true,
      maxRedirects: 5,
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      buckets: [...DEFAULT_BUCKETS],
    });
  });

  test('accepts every option', () => {
    const parsed = plugin.configSchema.parse({
      url: 'http://127.0.0.1:8080/ready',
      method: 'POST',
      headers: { authorization: 'Bearer x', 'X-Probe': '1' },
      body: '{}',
      expectedStatus: [200, '2xx', '200-299', '301'],
      bodyMatch: '"status":\\s*"UP"',
      timeout: '1500ms',
      tls: { ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' },
      followRedirects: false,
      maxRedirects: 0,
      maxBodyBytes: 4096,
      buckets: [0.1, 0.5, 1],
    });
    assert.equal(parsed.method, 'POST');
    assert.deepEqual(parsed.buckets, [0.1, 0.5, 1]);
  });

  test('url is required and must be http(s)', () => {
    assertProblem({}, /^url: required/);
    assertProblem({ url: 'not a url' }, /^url: expected an absolute http:\/\/ or https:\/\/ URL/);
    assertProblem({ url: 'ftp://example.com/' }, /^url: .*protocol "ftp:"/);
    assertProblem({ url: 42 }, /^url: expected .* found number/);
  });

  test('a url is never echoed in an error (it may hold a token)', () => {
    const lines = problems({ url: 'https//user:t0ken@host' });
    assert.ok(!lines.join('\n').includes('t0ken'), lines.join('\n'));
  });

  test('an invalid regex is a config error', () => {
    assertProblem({ url, bodyMatch: '(unclosed' }, /^bodyMatch: expected a valid regular expression: .*Unterminated group/);
  });

  test('bad expectedStatus entries name their index', () => {
    assertProblem({ url, expectedStatus: ['6xx'] }, /^expectedStatus\.0: expected a status code 100-599.*found "6xx"/);
    assertProblem({ url, expectedStatus: [200, 99] }, /^expectedStatus\.1: expected a status code 100-599.*found 99/);
    assertProblem({ url, expectedStatus: ['299-200'] }, /^expectedStatus\.0: /);
    assertProblem({ url, expectedStatus: [true] }, /^expectedStatus\.0: expected a status code/);
    assertProblem({ url, expectedStatus: [] }, /^expectedStatus: expected at least one/);
    assertProblem({ url, expectedStatus: 200 }, /^expectedStatus: expected a list/);
  });

  test('unknown keys are errors, at the top and inside tls', () => {
    assertProblem({ url, expected_status: [200] }, /^: Unrecognized key: "expected_status"/);
    assertProblem({ url, tls: { insecure: true } }, /^tls: Unrecognized key: "insecure"/);
  });

  test('method, headers, timeout, tls, sizes and buckets are checked', () => {
    assertProblem({ url, method: 'get' }, /^method: expected one of GET, HEAD, POST/);
    assertProblem({ url, headers: { 'bad header': 'x' } }, /^headers\.bad header: expected a valid header name/);
    assertProblem({ url, headers: { 'x-a': 'one\r\ntwo' } }, /^headers\.x-a: a header value must not contain line breaks/);
    assertProblem({ url, headers: { 'x-a': 1 } }, /^headers\.x-a: expected a header value string/);
    assertProblem({ url, timeout: '5' }, /^timeout: expected a duration like "500ms"/);
    assertProblem({ url, tls: { ca: 'not pem' } }, /^tls\.ca: expected PEM text/);
    assertProblem(
      { url, tls: { ca: '-----BEGIN CERTIFICATE-----', insecureSkipVerify: true } },
      /^tls\.insecureSkipVerify: set either "ca" or "insecureSkipVerify: true", not both/,
    );
    assertProblem({ url, maxRedirects: 1.5 }, /^maxRedirects: expected a whole number/);
    assertProblem({ url, maxBodyBytes: 0 }, /^maxBodyBytes: expected a size above 0/);
    assertProblem({ url, buckets: [1, 0.5] }, /^buckets\.1: expected bucket bounds in strictly ascending order/);
    assertProblem({ url, buckets: [-1] }, /^buckets\.0: expected a bucket bound above 0/);
  });

  test('a body needs a method that carries one; HEAD has no body to match', () => {
    assertProblem({ url, body: 'x' }, /^body: a GET request cannot carry a body/);
    assertProblem({ url, method: 'HEAD', bodyMatch: 'ok' }, /^bodyMatch: a HEAD response has no body/);
  });
});

describe('the request timeout', () => {
  test('takes durations in the SDK\'s grammar and refuses anything else, naming the path', () => {
    for (const timeout of ['500ms', '5s', '1.5m']) assert.equal(plugin.configSchema.safeParse({ url, timeout }).success, true, timeout);
    for (const timeout of ['0s', '5', 'soon']) assertProblem({ url, timeout }, /^timeout: expected a duration/);
  });
});
