import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hideUserinfo } from './hide-userinfo.js';

describe('hideUserinfo', () => {
  it('hides the user and password in every form a URL parser still reads as credentials', () => {
    const forms = [
      'http://user:pw-1234@127.0.0.1:1/x',
      'http://user:pw@-1234@127.0.0.1:1/x', // an "@" in the password: the last one ends the userinfo
      ' http://user:pw-1234@127.0.0.1:1/x', // leading blank, dropped by the parser
      'HTTP://user:pw-1234@127.0.0.1:1/x',
      'http:user:pw-1234@127.0.0.1:1/x', // no slashes: still credentials for http
      'ht\ttp://user:pw-\n1234@127.0.0.1:1/x', // tabs and newlines are dropped by the parser
      'https://:pw-1234@127.0.0.1/',
    ];
    for (const form of forms) {
      const parsed = new URL(form);
      assert.ok(parsed.password !== '', `the parser reads a password in ${JSON.stringify(form)}`);
      const shown = hideUserinfo(form);
      assert.doesNotMatch(shown, /pw|1234|user/, JSON.stringify(form));
      assert.match(shown, /^https?:\/\/…@127\.0\.0\.1/i, JSON.stringify(form));
    }
  });

  it('hides userinfo inside a longer text and leaves text without credentials alone', () => {
    assert.equal(hideUserinfo('url: expected no user, found "http://u:secret-pw@host/"'), 'url: expected no user, found "http://…@host/"');
    assert.equal(hideUserinfo('http://127.0.0.1:1/a?b=c@d'), 'http://127.0.0.1:1/a?b=c@d');
    assert.equal(hideUserinfo('db.example.com:5432/app'), 'db.example.com:5432/app');
    assert.equal(hideUserinfo('mail me at ops@example.com'), 'mail me at ops@example.com');
  });
});
