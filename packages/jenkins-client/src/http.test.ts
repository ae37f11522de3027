import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Jenkins } from './client.js';
import { JenkinsError } from './errors.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

describe('Jenkins client over HTTP', () => {
  let server: Server;
  let base: string;
  let handler: Handler = (_req, res) => res.end('{}');
  const seen: { url: string; auth: string | undefined }[] = [];
  const sockets = new Set<import('node:net').Socket>();

  before(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', auth: req.headers.authorization });
      handler(req, res);
    });
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jenkins/`;
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const json = (body: unknown, headers: Record<string, string> = {}): Handler => (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json;charset=utf-8', 'x-jenkins': '2.479.3', ...headers });
    res.end(JSON.stringify(body));
  };

  const failsWith = async (kind: string, jenkins: Jenkins, opts: { signal?: AbortSignal } = {}) => {
    await assert.rejects(jenkins.jobTree(opts), (err: unknown) => {
      assert.ok(err instanceof JenkinsError, String(err));
      assert.equal(err.kind, kind, err.message);
      return true;
    });
  };

  it('reads the tree in one request under the path prefix, with basic auth, and flattens it', async () => {
    seen.length = 0;
    handler = json({
      _class: 'hudson.model.Hudson',
      jobs: [
        { _class: 'hudson.model.FreeStyleProject', name: 'build', color: 'blue' },
        {
          _class: 'com.cloudbees.hudson.plugins.folder.Folder',
          name: 'team a',
          jobs: [
            {
              _class: 'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject',
              name: 'svc',
              jobs: [{ _class: 'org.jenkinsci.plugins.workflow.job.WorkflowJob', name: 'main', color: 'red_anime' }],
            },
          ],
        },
      ],
    });
    const jenkins = new Jenkins({ url: base.slice(0, -1), username: 'reader', token: 'tok-123' });
    const tree = await jenkins.jobTree({ maxDepth: 3 });
    assert.equal(seen.length, 1);
    const url = new URL(seen[0]?.url ?? '', 'http://x');
    assert.equal(url.pathname, '/jenkins/api/json');
    assert.equal(url.searchParams.get('depth'), null);
    assert.match(url.searchParams.get('tree') ?? '', /^jobs\[_class,name,url,color,jobs\[/);
    assert.equal(seen[0]?.auth, `Basic ${Buffer.from('reader:tok-123').toString('base64')}`);
    assert.equal(tree.version, '2.479.3');
    assert.deepEqual(
      tree.items.map((i) => [i.fullName, i.kind, i.parent, i.depth, i.color]),
      [
        ['build', 'job', '', 1, 'blue'],
        ['team a', 'folder', '', 1, undefined],
        ['team a/svc', 'multibranch', 'team a', 2, undefined],
        ['team a/svc/main', 'job', 'team a/svc', 3, 'red_anime'],
      ],
    );
  });

  it('reads queue, computers and version', async () => {
    handler = (req, res) => {
      const path = new URL(req.url ?? '', 'http://x').pathname;
      if (path.endsWith('/queue/api/json')) return json({ items: [{ id: 7, stuck: true, blocked: false, buildable: true, task: { name: 'build' } }] })(req, res);
      if (path.endsWith('/computer/api/json'))
        return json({ busyExecutors: 1, totalExecutors: 4, computer: [{ displayName: 'built-in', offline: false, idle: false, numExecutors: 2 }, { displayName: 'agent', offline: true, temporarilyOffline: true, numExecutors: 2 }] })(req, res);
      return json({ mode: 'NORMAL' })(req, res);
    };
    const jenkins = new Jenkins({ url: base });
    const queue = await jenkins.queue();
    assert.deepEqual(queue.map((q) => [q.id, q.stuck, q.buildable, q.taskName]), [[7, true, true, 'build']]);
    const computers = await jenkins.computers();
    assert.equal(computers.busyExecutors, 1);
    assert.equal(computers.totalExecutors, 4);
    assert.deepEqual(computers.nodes.map((n) => [n.name, n.offline, n.temporarilyOffline]), [['built-in', false, false], ['agent', true, true]]);
    assert.equal(await jenkins.version(), '2.479.3');
  });

  it('names each failure: 401, 403, 404, 500, an HTML login page, malformed JSON, too large', async () => {
    const jenkins = new Jenkins({ url: base, maxBodyBytes: 2048 });
    const status = (code: number): Handler => (_req, res) => {
      res.writeHead(code, { 'content-type': 'text/html' });
      res.end('<html>nope</html>');
    };
    handler = status(401);
    await failsWith('unauthorized', jenkins);
    handler = status(403);
    await failsWith('forbidden', jenkins);
    handler = status(404);
    await failsWith('not-found', jenkins);
    handler = status(500);
    await failsWith('server-error', jenkins);
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html;charset=utf-8' });
      res.end('<!DOCTYPE html><html><body>Sign in to Jenkins</body></html>');
    };
    await failsWith('login-page', jenkins);
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"jobs": [');
    };
    await failsWith('malformed-json', jenkins);
    handler = json({ jobs: [], pad: 'x'.repeat(10_000) });
    await failsWith('too-large', jenkins);
    handler = json([1, 2]);
    await failsWith('malformed-json', jenkins);
  });

  it('times out on a Jenkins that never answers, and stops when its signal fires', async () => {
    handler = () => undefined;
    // The server never answers: failing with 'timeout' at all is the behaviour (no speed bound).
    await failsWith('timeout', new Jenkins({ url: base, timeoutMs: 200 }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('deadline')), 100);
    await failsWith('aborted', new Jenkins({ url: base, timeoutMs: 10_000 }), { signal: controller.signal });
  });

  it('reports a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await failsWith('connection-refused', new Jenkins({ url: `http://127.0.0.1:${port}/` }));
  });

  it('never puts the token in an error message', async () => {
    handler = (_req, res) => {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="Jenkins"' });
      res.end();
    };
    await assert.rejects(new Jenkins({ url: base, username: 'u', token: 'super-secret-token' }).jobTree(), (err: Error) => {
      assert.ok(!err.message.includes('super-secret-token'));
      return true;
    });
    assert.throws(() => new Jenkins({ url: 'ftp://x/' }), /http or https/);
  });
});
