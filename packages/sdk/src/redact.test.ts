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

describe('createRedactor: every form of a secret', () => {
  const quoted = 'pa"ss\\word';
  const multi = 'first-line-secret\nsecond-line-secret';

  it('replaces a secret holding quotes and backslashes raw, JSON-escaped, and escaped twice', () => {
    const redact = createRedactor([quoted]);
    const message = `expected "drop", found ${JSON.stringify(quoted)}`;
    assert.equal(redact(message), `expected "drop", found "${REDACTED}"`);
    const logLine = JSON.stringify({ error: message });
    assert.equal(logLine.includes('ss'), true);
    assert.equal(redact(logLine).includes('pa\\'), false, redact(logLine));
    assert.equal(redact(logLine).includes('word'), false, redact(logLine));
    assert.equal(redact(`raw ${quoted}`), `raw ${REDACTED}`);
  });

  it('replaces a multi-line secret whole, escaped, and each of its lines alone', () => {
    const redact = createRedactor([multi]);
    for (const text of [multi, JSON.stringify(multi), JSON.stringify(JSON.stringify(multi)), 'cut: second-line-secret', 'first-line-secret…']) {
      const out = redact(text);
      assert.equal(/first-line|second-line/.test(out), false, `${text} -> ${out}`);
    }
    assert.equal(redact(multi), REDACTED, 'the whole value is one replacement');
  });

  it('replaces the single-quoted and HTML forms', () => {
    const redact = createRedactor(["it's-<secret>"]);
    assert.equal(redact("'it''s-<secret>'"), `'${REDACTED}'`);
    assert.equal(redact('it&#39;s-&lt;secret&gt;'), REDACTED);
  });

  it('skips lines of a multi-line secret shorter than 4 characters', () => {
    const redact = createRedactor(['abc\nlong-enough-line']);
    assert.equal(redact('abc and long-enough-line'), `abc and ${REDACTED}`);
  });
});
