import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorCodes } from '@muster/sdk';
import { classifyError } from './classify.js';

const withCode = (code: string) => Object.assign(new Error(code), { code });

test('errors are classified by code', () => {
  const cases: Record<string, string> = {
    ECONNREFUSED: 'connection-refused',
    ENOTFOUND: 'dns',
    EAI_AGAIN: 'dns',
    ETIMEDOUT: 'timeout',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'tls',
    SELF_SIGNED_CERT_IN_CHAIN: 'tls',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls',
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls',
    CERT_HAS_EXPIRED: 'tls',
    CERT_NOT_YET_VALID: 'tls',
    ERR_TLS_CERT_ALTNAME_INVALID: 'tls',
    ERR_SSL_WRONG_VERSION_NUMBER: 'tls',
    EPROTO: 'tls',
    ECONNRESET: 'error',
    EHOSTUNREACH: 'error',
    ERR_TOO_MANY_REDIRECTS: 'error',
  };
  for (const [code, reason] of Object.entries(cases)) assert.equal(classifyError(withCode(code)), reason, code);
});

test("Node's errors: the code of the cause (an AbortError at the deadline), and TimeoutError", () => {
  const deadline = Object.assign(new Error('no complete answer within 10 ms'), { name: 'TimeoutError', code: 'ETIMEDOUT' });
  assert.equal(classifyError(deadline), 'timeout');
  const abortError = Object.assign(new Error('The operation was aborted', { cause: deadline }), { name: 'AbortError', code: 'ABORT_ERR' });
  assert.equal(classifyError(abortError), 'timeout');
  const wrapped = new Error('outer', { cause: withCode('ENOTFOUND') });
  assert.deepEqual(errorCodes(wrapped), ['ENOTFOUND']);
  assert.equal(classifyError(wrapped), 'dns');
  assert.equal(classifyError(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], 'connect failed')), 'connection-refused');
});

test('anything else is error', () => {
  assert.equal(classifyError(new Error('boom')), 'error');
  assert.equal(classifyError('a string'), 'error');
  assert.equal(classifyError(undefined), 'error');
});
