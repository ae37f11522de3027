import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COLLECT_ERROR_REASONS, errorChain, errorCodes, TRANSPORT_ERROR_REASONS, transportErrorReason } from './errors.js';

describe('transport failure reasons', () => {
  it('are collect-error reasons', () => {
    for (const reason of TRANSPORT_ERROR_REASONS) assert.ok((COLLECT_ERROR_REASONS as readonly string[]).includes(reason), reason);
  });

  it("walk an error's causes and an AggregateError's errors, each once", () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' });
    const aggregate = new AggregateError([refused, refused], 'all addresses failed');
    const outer = new Error('could not connect', { cause: aggregate });
    assert.deepEqual(errorChain(outer), [outer, aggregate, refused]);
    assert.deepEqual(errorCodes(outer), ['ECONNREFUSED']);
    assert.equal(transportErrorReason(outer), 'connection-refused');
  });

  it('stop on a cause that points back, and on what is not an object', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    assert.deepEqual(errorChain(b), [b, a]);
    assert.deepEqual(errorChain('text'), []);
    assert.equal(transportErrorReason(new Error('plain')), undefined);
  });
});
