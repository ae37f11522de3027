import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type JenkinsSimulator, startJenkinsSimulator } from './server.js';

const basic = (user: string, token: string) => `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}`;
const GOOD = basic('alice', '11aa22bb33cc44dd55ee66ff77889900aa');

describe('authentication (anonymous read off)', () => {
  let sim: JenkinsSimulator;
  before(async () => {
    sim = await startJenkinsSimulator({
      tree: [{ name: 'job', kind: 'freestyle' }],
      auth: { username: 'alice', token: '11aa22bb33cc44dd55ee66ff77889900aa' },
      crumbs: true,
    });
  });
  after(() => sim.close());

  it('answers 403 "Authentication required" to anonymous requests, as Jenkins does', async () => {
    const res = await fetch(`${sim.url}api/json`);
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('x-jenkins'), sim.version);
    assert.equal(res.headers.get('x-you-are-authenticated-as'), 'anonymous');
    assert.equal(res.headers.get('x-required-permission'), 'hudson.model.Hudson.Read');
    assert.equal(res.headers.get('www-authenticate'), null);
    assert.equal(res.headers.get('content-type'), 'text/html;charset=utf-8');
    assert.match(await res.text(), /Authentication required/);
  });

  it('answers 401 with WWW-Authenticate for a bad token or an unknown user', async () => {
    for (const header of [basic('alice', 'wrong'), basic('mallory', '11aa22bb33cc44dd55ee66ff77889900aa'), 'Basic !!!']) {
      const res = await fetch(`${sim.url}api/json`, { headers: { authorization: header } });
      assert.equal(res.status, 401, header);
      assert.equal(res.headers.get('www-authenticate'), 'Basic realm="Jenkins"');
      assert.equal(res.headers.get('x-jenkins'), sim.version);
      assert.match(await res.text(), /Invalid password\/token for user: /);
    }
  });

  it('treats a non-Basic scheme as anonymous (403)', async () => {
    const res = await fetch(`${sim.url}api/json`, { headers: { authorization: 'Bearer abc' } });
    assert.equal(res.status, 403);
  });

  it('answers 200 for the right user and token, and logs the user', async () => {
    sim.resetRequests();
    const res = await fetch(`${sim.url}api/json`, { headers: { authorization: GOOD } });
    assert.equal(res.status, 200);
    const root = (await res.json()) as Record<string, unknown>;
    assert.equal(root.useSecurity, true);
    assert.equal(sim.requests[0]!.user, 'alice');
  });

  it('protects every endpoint, crumb issuer included', async () => {
    for (const path of ['queue/api/json', 'computer/api/json', 'crumbIssuer/api/json', 'job/job/api/json', '']) {
      assert.equal((await fetch(`${sim.url}${path}`)).status, 403, path);
      assert.equal((await fetch(`${sim.url}${path}`, { headers: { authorization: GOOD } })).status, 200, path);
    }
  });

  it('exempts API-token requests from the crumb, as Jenkins does', async () => {
    const res = await fetch(`${sim.url}api/json`, { method: 'POST', headers: { authorization: GOOD } });
    assert.equal(res.status, 200);
  });
});

describe('authentication (anonymous read on)', () => {
  it('lets anonymous read but still rejects bad credentials', async () => {
    const sim = await startJenkinsSimulator({ auth: { username: 'bob', token: 't0k3n', anonymousRead: true } });
    try {
      assert.equal((await fetch(`${sim.url}api/json`)).status, 200);
      assert.equal((await fetch(`${sim.url}api/json`, { headers: { authorization: basic('bob', 'nope') } })).status, 401);
      assert.equal((await fetch(`${sim.url}api/json`, { headers: { authorization: basic('bob', 't0k3n') } })).status, 200);
    } finally {
      await sim.close();
    }
  });
});

describe('no security', () => {
  it('accepts anything, credentials or not', async () => {
    const sim = await startJenkinsSimulator();
    try {
      assert.equal((await fetch(`${sim.url}api/json`)).status, 200);
      assert.equal((await fetch(`${sim.url}api/json`, { headers: { authorization: basic('x', 'y') } })).status, 200);
      assert.equal((await fetch(`${sim.url}crumbIssuer/api/json`)).status, 404, 'crumbs are off by default');
    } finally {
      await sim.close();
    }
  });
});
