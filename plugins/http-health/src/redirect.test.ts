import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Hop } from './hop.js';
import { redirectHop } from './redirect.js';

const post: Hop = {
  url: new URL('https://a.example:8443/api/login?x=1#frag'),
  method: 'POST',
  headers: { authorization: 'Bearer t', cookie: 'c=1', 'proxy-authorization': 'p', host: 'a.example', 'content-type': 'application/json', 'x-keep': 'k' },
  body: '{"ping":true}',
};

test('a status that is not a redirect, or a redirect without Location, is the final answer', () => {
  for (const status of [200, 204, 300, 304, 305, 400, 500]) assert.equal(redirectHop(post, status, '/elsewhere'), undefined, String(status));
  assert.equal(redirectHop(post, 302, undefined), undefined);
  assert.equal(redirectHop(post, 302, ''), undefined, 'an empty Location is no way to go');
  assert.equal(redirectHop(post, 302, '  '), undefined);
});

test('Location is resolved against the current URL, without its fragment', () => {
  assert.equal(redirectHop(post, 302, 'next')?.url.href, 'https://a.example:8443/api/next');
  assert.equal(redirectHop(post, 302, '/root?y=2#top')?.url.href, 'https://a.example:8443/root?y=2');
  assert.equal(redirectHop(post, 302, '//b.example/p')?.url.href, 'https://b.example/p');
});

test('301, 302, 307 and 308 keep the method, body and headers on the same origin', () => {
  for (const status of [301, 302, 307, 308]) {
    const next = redirectHop(post, status, '/api/v2/login');
    assert.equal(next?.method, 'POST');
    assert.equal(next?.body, post.body);
    assert.deepEqual({ ...next?.headers }, post.headers);
  }
});

test('303 turns the request into a GET without a body or its headers; HEAD stays HEAD', () => {
  const next = redirectHop(post, 303, '/done');
  assert.equal(next?.method, 'GET');
  assert.equal(next?.body, undefined);
  assert.deepEqual({ ...next?.headers }, { authorization: 'Bearer t', cookie: 'c=1', 'proxy-authorization': 'p', host: 'a.example', 'x-keep': 'k' });
  assert.equal(redirectHop({ ...post, method: 'HEAD', body: undefined }, 303, '/done')?.method, 'HEAD');
});

test('another origin (host, port or scheme) gets no credentials and no configured Host', () => {
  const kept = { 'content-type': 'application/json', 'x-keep': 'k' };
  for (const location of ['https://b.example:8443/api', 'https://a.example/api', 'http://a.example:8443/api']) {
    assert.deepEqual({ ...redirectHop(post, 307, location)?.headers }, kept, location);
  }
});

test('only http and https are followed, and a Location must be a URL', () => {
  for (const location of ['file:///etc/passwd', 'ftp://a.example/', 'javascript:alert(1)', 'data:text/plain,x']) {
    assert.throws(() => redirectHop(post, 302, location), (err: Error & { code?: string }) => err.code === 'ERR_INVALID_REDIRECT', location);
  }
  assert.throws(() => redirectHop(post, 302, 'http://[::1'), (err: Error & { code?: string }) => err.code === 'ERR_INVALID_REDIRECT');
});

test("the configured URL's credentials stay on its origin, however the Location names it", () => {
  const withUser: Hop = { ...post, url: new URL('http://us%40er:p%3Aw@a.example/health') };
  for (const location of ['/health/', 'http://a.example/health/', '//a.example/health/']) {
    const next = redirectHop(withUser, 301, location);
    assert.equal(next?.url.href, 'http://us%40er:p%3Aw@a.example/health/', location);
  }
  assert.equal(redirectHop(withUser, 301, 'http://other:pw@a.example/x')?.url.href, 'http://other:pw@a.example/x', 'a Location with credentials of its own keeps them');
  assert.equal(redirectHop(withUser, 301, 'http://b.example/health')?.url.href, 'http://b.example/health', 'another origin gets none');
});

test('a Location sent as UTF-8 bytes (read by Node as latin1) is read as UTF-8', () => {
  const latin1 = Buffer.from('/café/health', 'utf8').toString('latin1');
  assert.equal(redirectHop(post, 302, latin1)?.url.pathname, '/caf%C3%A9/health');
});
