import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, afterEach, before, describe, it } from 'node:test';
import { type JenkinsSimulator, startJenkinsSimulator } from './server.js';

/** A raw GET without compression, resolving with what arrived and how it ended. */
function rawGet(url: string): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer; aborted: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      const chunks: Buffer[] = [];
      let aborted = false;
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('aborted', () => {
        aborted = true;
      });
      res.on('error', () => {
        aborted = true;
      });
      res.on('close', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), aborted: aborted || !res.complete }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('faults', () => {
  let sim: JenkinsSimulator;
  before(async () => {
    sim = await startJenkinsSimulator({
      tree: [
        { name: 'a', kind: 'folder', children: [{ name: 'x', kind: 'freestyle' }] },
        { name: 'b', kind: 'freestyle' },
      ],
    });
  });
  afterEach(() => {
    sim.faults = {};
  });
  after(() => sim.close());

  it('latencyMs delays the answer', async () => {
    sim.faults = { latencyMs: 150 };
    const t = performance.now();
    const res = await fetch(`${sim.url}api/json`);
    assert.equal(res.status, 200);
    assert.ok(performance.now() - t >= 140, 'answered too early');
  });

  it('status answers with that status and a Jetty page, still with X-Jenkins', async () => {
    sim.faults = { status: 503 };
    const res = await fetch(`${sim.url}api/json`);
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('x-jenkins'), sim.version);
    assert.equal(res.headers.get('content-type'), 'text/html;charset=utf-8');
    assert.match(await res.text(), /HTTP ERROR 503/);
  });

  it('htmlLogin answers 200 with the HTML login page', async () => {
    sim.faults = { htmlLogin: true };
    const res = await fetch(`${sim.url}api/json`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html;charset=utf-8');
    const body = await res.text();
    assert.match(body, /j_spring_security_check/);
    assert.throws(() => JSON.parse(body), SyntaxError);
  });

  it('malformedJson answers 200 application/json that does not parse', async () => {
    sim.faults = { malformedJson: true };
    const res = await fetch(`${sim.url}api/json?tree=jobs[name]`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json;charset=utf-8');
    await assert.rejects(res.json(), SyntaxError);
  });

  it('truncate sends the full Content-Length but half the body, then cuts the connection', async () => {
    sim.faults = { truncate: true };
    const raw = await rawGet(`${sim.url}api/json`);
    assert.equal(raw.status, 200);
    assert.equal(raw.aborted, true);
    assert.ok(raw.body.length < Number(raw.headers['content-length']));
    await assert.rejects(async () => (await fetch(`${sim.url}api/json`)).text());
  });

  it('hang accepts the request and never answers, until the client gives up', async () => {
    sim.faults = { hang: true };
    await assert.rejects(fetch(`${sim.url}api/json`, { signal: AbortSignal.timeout(200) }), { name: 'TimeoutError' });
    assert.equal(sim.requests.at(-1)!.status, undefined);
  });

  it('pathPrefix limits faults to matching paths', async () => {
    sim.faults = { status: 500, pathPrefix: '/job/a/' };
    assert.equal((await fetch(`${sim.url}job/a/api/json`)).status, 500);
    assert.equal((await fetch(`${sim.url}job/a/job/x/api/json`)).status, 500);
    assert.equal((await fetch(`${sim.url}job/b/api/json`)).status, 200);
    assert.equal((await fetch(`${sim.url}api/json`)).status, 200);
  });

  it('times applies faults to the next N matching requests, then clears them', async () => {
    sim.faults = { status: 502, times: 2 };
    assert.equal((await fetch(`${sim.url}api/json`)).status, 502);
    assert.equal((await fetch(`${sim.url}api/json`)).status, 502);
    assert.equal((await fetch(`${sim.url}api/json`)).status, 200);
    assert.deepEqual(sim.faults, {});
  });

  it('faults can be mutated in place', async () => {
    sim.faults.status = 500;
    assert.equal((await fetch(`${sim.url}api/json`)).status, 500);
    delete sim.faults.status;
    assert.equal((await fetch(`${sim.url}api/json`)).status, 200);
  });
});

/** Resolves with `work`, or fails after 30 s: far longer than close() takes, far shorter than the hangs it must cut. */
async function guarded(work: Promise<unknown>, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(what)), 30_000);
  });
  try {
    await Promise.race([work, guard]);
  } finally {
    clearTimeout(timer);
  }
}

describe('close()', () => {
  it('destroys hung sockets so it returns promptly', async () => {
    const sim = await startJenkinsSimulator({ faults: { hang: true } });
    const pending = fetch(`${sim.url}api/json`).then(
      () => 'answered',
      () => 'failed',
    );
    const pendingRaw = rawGet(`${sim.url}queue/api/json`).then(
      () => 'closed',
      () => 'failed',
    );
    // Let both requests arrive before closing.
    while (sim.requestCount < 2) await new Promise((r) => setTimeout(r, 5));
    // The hung request never ends by itself: close() returning at all shows it destroyed the socket
    // (the guard turns a hang into a failure; it is no speed bound).
    await guarded(sim.close(), 'close() waited for the hung request');
    assert.equal(await pending, 'failed');
    assert.ok(['closed', 'failed'].includes(await pendingRaw));
  });

  it('cancels pending latency and is idempotent', async () => {
    const sim = await startJenkinsSimulator({ faults: { latencyMs: 3_600_000 } });
    const pending = fetch(`${sim.url}api/json`).catch(() => 'failed');
    while (sim.requestCount < 1) await new Promise((r) => setTimeout(r, 5));
    await guarded(
      (async () => {
        await sim.close();
        await sim.close();
      })(),
      'close() waited for the hour-long latency',
    );
    assert.equal(await pending, 'failed');
  });
});
