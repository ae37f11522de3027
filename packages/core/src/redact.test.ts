import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRedactor, REDACTED } from './redact.js';

describe('createRedactor', () => {
  it('replaces every occurrence of every secret', () => {
    const redact = createRedactor(['hunter22', 'tok-abc']);
    assert.equal(redact('pw=hunter22 token=tok-abc again hunter22'), `pw=${REDACTED} token=${REDACTED} again ${REDACTED}`);
  });

  it('replaces the URL-encoded form of a secret too', () => {
    const redact = createRedactor(['p@ss w/rd']);
    assert.equal(redact('http://u:p%40ss%20w%2Frd@host/'), `http://u:${REDACTED}@host/`);
    assert.equal(redact('raw p@ss w/rd'), `raw ${REDACTED}`);
  });

  it('treats secrets as literal text, not patterns', () => {
    const redact = createRedactor(['a.b*c(d)']);
    assert.equal(redact('xa.b*c(d)x aXbbc(d)'), `x${REDACTED}x aXbbc(d)`);
  });

  it('prefers the longest secret when one contains another', () => {
    const redact = createRedactor(['secret', 'secret-longer']);
    assert.equal(redact('secret-longer'), REDACTED);
  });

  it('ignores values shorter than 4 characters and leaves text alone without secrets', () => {
    assert.equal(createRedactor(['abc', '']).call(null, 'abc def'), 'abc def');
    assert.equal(createRedactor([])('nothing to hide'), 'nothing to hide');
  });
});
