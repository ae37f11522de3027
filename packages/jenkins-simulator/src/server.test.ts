import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startJenkinsSimulator } from './server.js';
import { get, json, jobsOf, TREE } from './testing/api.js';

describe('request log', () => {
  it('counts and logs requests with method, path and query, and resets', async () => {
    const sim = await startJenkinsSimulator({ tree: TREE });
    try {
      await fetch(`${sim.url}api/json?tree=jobs[name]&depth=2`);
      await fetch(`${sim.url}job/team%20a/api/json`);
      await fetch(`${sim.url}nope`, { method: 'HEAD' });
      assert.equal(sim.requestCount, 3);
      assert.deepEqual(
        sim.requests.map((r) => [r.method, r.path, r.query, r.status]),
        [
          ['GET', '/api/json', { tree: 'jobs[name]', depth: '2' }, 200],
          ['GET', '/job/team%20a/api/json', {}, 200],
          ['HEAD', '/nope', {}, 404],
        ],
      );
      sim.resetRequests();
      assert.equal(sim.requestCount, 0);
      assert.deepEqual(sim.requests, []);
    } finally {
      await sim.close();
    }
  });

  it('bounds the log but keeps counting', async () => {
    const sim = await startJenkinsSimulator({ maxLoggedRequests: 2 });
    try {
      for (let i = 0; i < 5; i++) await (await fetch(`${sim.url}api/json?i=${i}`)).arrayBuffer();
      assert.equal(sim.requestCount, 5);
      assert.deepEqual(
        sim.requests.map((r) => r.query.i),
        ['3', '4'],
      );
    } finally {
      await sim.close();
    }
  });
});

describe('prefix', () => {
  it('serves everything under the prefix, with URLs that include it', async () => {
    const sim = await startJenkinsSimulator({ tree: TREE, prefix: '/jenkins/' });
    try {
      assert.match(sim.url, /^http:\/\/127\.0\.0\.1:\d+\/jenkins\/$/);
      const root = await json(`${sim.url}api/json`);
      assert.equal(jobsOf(root)[0]!.url, `${sim.url}job/team%20a/`);
      assert.ok(String(jobsOf(root)[0]!.url).includes('/jenkins/job/'));
      const origin = new URL(sim.url).origin;
      assert.equal((await get(`${origin}/api/json`)).status, 404);
      assert.equal((await get(`${origin}/jenkinsfoo/api/json`)).status, 404);
      assert.equal(sim.requests.at(-1)!.path, '/jenkinsfoo/api/json');
      assert.equal((await get(`${origin}/jenkins/job/team%20a/job/nested/api/json`)).status, 200);
      assert.equal(sim.requests.at(-1)!.path, '/job/team%20a/job/nested/api/json');
    } finally {
      await sim.close();
    }
  });
});

describe('replaying a captured response', () => {
  it('serves a real Jenkins tree response back', async () => {
    const captured = {
      _class: 'hudson.model.Hudson',
      jobs: [
        {
          _class: 'jenkins.branch.OrganizationFolder',
          name: 'gitea',
          jobs: [
            {
              _class: 'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject',
              name: 'app',
              jobs: [{ _class: 'org.jenkinsci.plugins.workflow.job.WorkflowJob', name: 'main', color: 'blue' }],
            },
          ],
        },
        {
          _class: 'com.cloudbees.hudson.plugins.folder.Folder',
          name: 'Powershell',
          jobs: [
            {
              _class: 'hudson.model.FreeStyleProject',
              name: 'Add-Laptops-Group',
              color: 'red',
              lastBuild: {
                _class: 'hudson.model.FreeStyleBuild',
                duration: 1189,
                number: 219,
                result: 'FAILURE',
                timestamp: 1643800688467,
              },
              lastSuccessfulBuild: { _class: 'hudson.model.FreeStyleBuild', number: 218, timestamp: 1643800687047 },
            },
          ],
        },
        { _class: 'hudson.maven.MavenModuleSet', name: 'legacy', color: 'disabled', url: 'http://old/job/legacy/' },
      ],
    };
    const sim = await startJenkinsSimulator({ json: captured });
    try {
      const lb = 'lastBuild[number,result,duration,timestamp]';
      const tree = `jobs[name,color,jobs[name,color,${lb},jobs[name,color]]]`;
      const served = await json(`${sim.url}api/json?tree=${tree}`);
      // Every field of the organization folder is in the tree: it comes back exactly as captured.
      assert.deepEqual(jobsOf(served)[0], captured.jobs[0]);
      assert.deepEqual(jobsOf(jobsOf(served)[1])[0], {
        _class: 'hudson.model.FreeStyleProject',
        name: 'Add-Laptops-Group',
        color: 'red',
        lastBuild: { _class: 'hudson.model.FreeStyleBuild', duration: 1189, number: 219, result: 'FAILURE', timestamp: 1643800688467 },
      });
      const legacy = jobsOf(await json(`${sim.url}api/json`))[2]!;
      assert.deepEqual(legacy, {
        _class: 'hudson.maven.MavenModuleSet',
        name: 'legacy',
        url: `${sim.url}job/legacy/`,
        color: 'disabled',
      });
      const lastOk = await json(`${sim.url}job/Powershell/job/Add-Laptops-Group/lastSuccessfulBuild/api/json`);
      assert.equal(lastOk.number, 218);
    } finally {
      await sim.close();
    }
  });

  it('refuses more than one tree source', async () => {
    await assert.rejects(
      startJenkinsSimulator({ tree: [], generate: { folders: 1, depth: 1, jobsPerFolder: 1 } }),
      /at most one of tree, generate and json/,
    );
    await assert.rejects(startJenkinsSimulator({ json: { nope: true } }), /"jobs" array/);
  });
});
