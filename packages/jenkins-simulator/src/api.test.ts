import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type JenkinsSimulator, startJenkinsSimulator } from './server.js';
import { get, type Json, json, jobsOf, TREE } from './testing/api.js';

describe('Jenkins JSON API', () => {
  let sim: JenkinsSimulator;
  before(async () => {
    sim = await startJenkinsSimulator({ tree: TREE, crumbs: true, version: '2.479.3' });
  });
  after(() => sim.close());

  it('serves the root as hudson.model.Hudson with Jenkins headers', async () => {
    const res = await get(`${sim.url}api/json`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-jenkins'), '2.479.3');
    assert.match(res.headers.get('x-jenkins-session') ?? '', /^[0-9a-f]{8}$/);
    assert.equal(res.headers.get('content-type'), 'application/json;charset=utf-8');
    const root = JSON.parse(res.body) as Json;
    assert.equal(root._class, 'hudson.model.Hudson');
    assert.deepEqual(Object.keys(root), [
      '_class',
      'assignedLabels',
      'mode',
      'nodeDescription',
      'nodeName',
      'numExecutors',
      'description',
      'jobs',
      'overallLoad',
      'primaryView',
      'quietingDown',
      'slaveAgentPort',
      'unlabeledLoad',
      'useCrumbs',
      'useSecurity',
      'views',
    ]);
    assert.equal(root.useCrumbs, true);
    assert.equal(root.useSecurity, false);
  });

  it('lists root jobs at depth 0 with only _class, name, url and color (folders: no color)', async () => {
    const jobs = jobsOf(await json(`${sim.url}api/json`));
    assert.deepEqual(jobs[0], {
      _class: 'com.cloudbees.hudson.plugins.folder.Folder',
      name: 'team a',
      url: `${sim.url}job/team%20a/`,
    });
    assert.deepEqual(jobs[2], {
      _class: 'org.jenkinsci.plugins.workflow.job.WorkflowJob',
      name: 'solo',
      url: `${sim.url}job/solo/`,
      color: 'red_anime',
    });
  });

  it('expands one more level with depth=1', async () => {
    const jobs = jobsOf(await json(`${sim.url}api/json?depth=1`));
    const folder = jobs[0]!;
    assert.equal(folder.fullName, 'team a');
    assert.equal(folder.description, 'Team A');
    // The folder's own children are back to the depth-0 summary.
    assert.deepEqual(Object.keys(jobsOf(folder)[0]!), ['_class', 'name', 'url', 'color']);
    const solo = jobs[2]!;
    assert.equal(solo.buildable, true);
    assert.equal(solo.inQueue, false);
    assert.deepEqual(solo.builds, []);
    assert.equal(solo.lastBuild, null);
    // A folder's jobs at depth=1 still show builds as summaries; depth=2 expands them.
    const d1 = jobsOf(await json(`${sim.url}job/team%20a/api/json?depth=1`));
    assert.deepEqual(Object.keys(d1[0]!.lastBuild as Json), ['_class', 'number', 'url']);
    const d2 = jobsOf(await json(`${sim.url}job/team%20a/api/json?depth=2`));
    assert.deepEqual(Object.keys(d2[0]!.lastBuild as Json).slice(0, 4), ['_class', 'actions', 'artifacts', 'building']);
  });

  it('serves nested folders at /job/a/job/b/api/json', async () => {
    const nested = await json(`${sim.url}job/team%20a/job/nested/api/json`);
    assert.equal(nested._class, 'com.cloudbees.hudson.plugins.folder.Folder');
    assert.equal(nested.fullName, 'team a/nested');
    assert.equal(nested.fullDisplayName, 'team a » nested');
    assert.equal(nested.url, `${sim.url}job/team%20a/job/nested/`);
    assert.deepEqual(
      jobsOf(nested).map((j) => [j._class, j.name, j.color]),
      [
        ['org.jenkinsci.plugins.workflow.job.WorkflowJob', 'deep', 'yellow'],
        ['hudson.matrix.MatrixProject', 'grid', 'aborted'],
      ],
    );
    assert.equal((nested.primaryView as Json)._class, 'hudson.model.AllView');
  });

  it('serves a job with Jenkins’ field order and permalinks', async () => {
    const job = await json(`${sim.url}job/team%20a/job/build/api/json`);
    assert.deepEqual(Object.keys(job), [
      '_class',
      'actions',
      'description',
      'displayName',
      'displayNameOrNull',
      'fullDisplayName',
      'fullName',
      'name',
      'url',
      'buildable',
      'builds',
      'color',
      'firstBuild',
      'healthReport',
      'inQueue',
      'keepDependencies',
      'lastBuild',
      'lastCompletedBuild',
      'lastFailedBuild',
      'lastStableBuild',
      'lastSuccessfulBuild',
      'lastUnstableBuild',
      'lastUnsuccessfulBuild',
      'nextBuildNumber',
      'property',
      'queueItem',
      'concurrentBuild',
      'disabled',
      'downstreamProjects',
      'labelExpression',
      'scm',
      'upstreamProjects',
    ]);
    assert.equal(job.color, 'blue');
    assert.deepEqual(job.lastBuild, {
      _class: 'hudson.model.FreeStyleBuild',
      number: 3,
      url: `${sim.url}job/team%20a/job/build/3/`,
    });
    assert.equal((job.lastFailedBuild as Json).number, 2);
    assert.equal((job.firstBuild as Json).number, 1);
    assert.equal(job.nextBuildNumber, 4);
    assert.deepEqual(job.healthReport, [
      {
        description: 'Build stability: 1 out of the last 3 builds failed.',
        iconClassName: 'icon-health-60to79',
        iconUrl: 'health-60to79.png',
        score: 66,
      },
    ]);
  });

  it('serves builds and build permalinks', async () => {
    const b = await json(`${sim.url}job/team%20a/job/build/lastFailedBuild/api/json`);
    assert.equal(b._class, 'hudson.model.FreeStyleBuild');
    assert.equal(b.number, 2);
    assert.equal(b.result, 'FAILURE');
    assert.equal(b.duration, 2000);
    assert.equal(b.timestamp, 1_700_000_100_000);
    assert.equal(b.building, false);
    const run = await json(`${sim.url}job/team%20a/job/service/job/feature%252Fx/1/api/json`);
    assert.equal(run._class, 'org.jenkinsci.plugins.workflow.job.WorkflowRun');
    assert.equal(run.building, true);
    assert.equal(run.result, null);
    assert.equal(run.inProgress, true);
    assert.equal((await get(`${sim.url}job/team%20a/job/build/99/api/json`)).status, 404);
    assert.equal((await get(`${sim.url}job/solo/lastBuild/api/json`)).status, 404);
  });

  it('applies tree= exactly: selected fields plus _class', async () => {
    const root = await json(`${sim.url}api/json?tree=jobs[name,color,jobs[name,color,jobs[name]]]`);
    assert.deepEqual(Object.keys(root), ['_class', 'jobs']);
    const allowed = [['_class', 'name', 'color', 'jobs'], ['_class', 'name', 'color', 'jobs'], ['_class', 'name']];
    const check = (items: Json[], level: number): void => {
      for (const j of items) {
        assert.equal(typeof j._class, 'string');
        for (const k of Object.keys(j)) assert.ok(allowed[level]!.includes(k), `level ${level}: unexpected ${k}`);
        if (j.jobs) check(j.jobs as Json[], level + 1);
      }
    };
    check(jobsOf(root), 0);
    const teamA = jobsOf(root)[0]!;
    assert.deepEqual(teamA, {
      _class: 'com.cloudbees.hudson.plugins.folder.Folder',
      name: 'team a',
      jobs: [
        { _class: 'hudson.model.FreeStyleProject', name: 'build', color: 'blue' },
        {
          _class: 'com.cloudbees.hudson.plugins.folder.Folder',
          name: 'nested',
          jobs: [
            { _class: 'org.jenkinsci.plugins.workflow.job.WorkflowJob', name: 'deep' },
            { _class: 'hudson.matrix.MatrixProject', name: 'grid' },
          ],
        },
        {
          _class: 'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject',
          name: 'service',
          jobs: [
            { _class: 'org.jenkinsci.plugins.workflow.job.WorkflowJob', name: 'main' },
            { _class: 'org.jenkinsci.plugins.workflow.job.WorkflowJob', name: 'feature%2Fx' },
          ],
        },
      ],
    });
  });

  it('writes fields in model order, not tree order, and omits unknown fields silently', async () => {
    const job = await json(`${sim.url}job/solo/api/json?tree=color,nonsense,description,name`);
    assert.deepEqual(Object.keys(job), ['_class', 'description', 'name', 'color']);
    assert.deepEqual(await json(`${sim.url}api/json?tree=nope`), { _class: 'hudson.model.Hudson' });
  });

  it('treats whitespace in tree= as part of the name (Jenkins does not trim)', async () => {
    const root = await json(`${sim.url}api/json?tree=jobs${encodeURIComponent('[name, color]')}`);
    assert.deepEqual(jobsOf(root)[2], { _class: 'org.jenkinsci.plugins.workflow.job.WorkflowJob', name: 'solo' });
  });

  it('writes _class alone for selected objects without sub-selection', async () => {
    const root = await json(`${sim.url}api/json?tree=jobs{0,2}`);
    assert.deepEqual(root.jobs, [
      { _class: 'com.cloudbees.hudson.plugins.folder.Folder' },
      { _class: 'jenkins.branch.OrganizationFolder' },
    ]);
  });

  it('supports the wildcard *', async () => {
    const job = await json(`${sim.url}job/solo/api/json?tree=*`);
    assert.ok('allBuilds' in job && 'resumeBlocked' in job && 'fullName' in job);
  });

  it('applies range selectors {M,N}, {N}, {M,}, {,N}', async () => {
    const names = async (range: string) =>
      jobsOf(await json(`${sim.url}api/json?tree=jobs[name]${encodeURIComponent(range)}`)).map((j) => j.name);
    assert.deepEqual(await names('{3,5}'), ['many-0', 'many-1']);
    assert.deepEqual(await names('{4}'), ['many-1']);
    assert.deepEqual(await names('{11,}'), ['many-8', 'many-9']);
    assert.deepEqual(await names('{,2}'), ['team a', 'github']);
    assert.deepEqual(await names('{100,}'), []);
    const builds = await json(`${sim.url}job/team%20a/job/build/api/json?tree=builds[number]{0,2}`);
    assert.deepEqual(builds.builds, [
      { _class: 'hudson.model.FreeStyleBuild', number: 3 },
      { _class: 'hudson.model.FreeStyleBuild', number: 2 },
    ]);
  });

  it('answers a malformed tree= or depth= like Jenkins: HTTP 500 with the exception message', async () => {
    for (const bad of ['', 'jobs[', 'jobs[]', 'jobs{x}']) {
      const res = await get(`${sim.url}api/json?tree=${encodeURIComponent(bad)}`);
      assert.equal(res.status, 500, `tree=${bad}`);
      assert.match(res.body, /Malformed tree expression: java\.lang\.IllegalArgumentException: expected/);
      assert.equal(res.headers.get('x-jenkins'), '2.479.3');
    }
    const depth = await get(`${sim.url}api/json?depth=deep`);
    assert.equal(depth.status, 500);
    assert.match(depth.body, /Depth parameter must be a number/);
  });

  it('serves lastBuild fields when selected', async () => {
    const f = await json(
      `${sim.url}job/team%20a/api/json?tree=jobs[name,lastBuild[number,result,duration,timestamp],jobs[name,lastBuild[number,result,duration,timestamp]]]`,
    );
    assert.deepEqual(jobsOf(f)[0], {
      _class: 'hudson.model.FreeStyleProject',
      name: 'build',
      lastBuild: {
        _class: 'hudson.model.FreeStyleBuild',
        duration: 3000,
        number: 3,
        result: 'SUCCESS',
        timestamp: 1_700_000_200_000,
      },
    });
    assert.deepEqual(jobsOf(jobsOf(f)[1])[0]!.lastBuild, {
      _class: 'org.jenkinsci.plugins.workflow.job.WorkflowRun',
      duration: 5,
      number: 9,
      result: 'UNSTABLE',
      timestamp: 7,
    });
    assert.equal(jobsOf(jobsOf(f)[1])[1]!.lastBuild, null);
  });

  it('serves multibranch projects and organization folders with their classes', async () => {
    const mb = await json(`${sim.url}job/team%20a/job/service/api/json`);
    assert.equal(mb._class, 'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject');
    assert.equal('color' in mb, false);
    assert.deepEqual(
      jobsOf(mb).map((j) => [j._class, j.name, j.url]),
      [
        ['org.jenkinsci.plugins.workflow.job.WorkflowJob', 'main', `${sim.url}job/team%20a/job/service/job/main/`],
        [
          'org.jenkinsci.plugins.workflow.job.WorkflowJob',
          'feature%2Fx',
          `${sim.url}job/team%20a/job/service/job/feature%252Fx/`,
        ],
      ],
    );
    const branch = await json(`${sim.url}job/team%20a/job/service/job/feature%252Fx/api/json`);
    assert.equal(branch.displayName, 'feature/x');
    assert.equal(branch.color, 'notbuilt_anime');
    const org = await json(`${sim.url}job/github/api/json?tree=jobs[name,jobs[name,color]]`);
    assert.deepEqual(org, {
      _class: 'jenkins.branch.OrganizationFolder',
      jobs: [
        {
          _class: 'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject',
          name: 'repo',
          jobs: [{ _class: 'org.jenkinsci.plugins.workflow.job.WorkflowJob', name: 'main', color: 'blue' }],
        },
      ],
    });
  });

  it('escapes non-ASCII characters in JSON as \\uXXXX like Stapler', async () => {
    const res = await get(`${sim.url}job/team%20a/job/nested/api/json?tree=fullDisplayName`);
    assert.match(res.body, /"fullDisplayName":"team a \\u00bb nested"/);
  });

  it('answers unknown paths with a Jetty 404 page that still carries X-Jenkins', async () => {
    for (const path of ['nope', 'job/missing/api/json', 'job/team%20a/job/nope/', 'api/xml', 'queue/item/999/api/json']) {
      const res = await get(`${sim.url}${path}`);
      assert.equal(res.status, 404, path);
      assert.equal(res.headers.get('content-type'), 'text/html;charset=utf-8');
      assert.equal(res.headers.get('x-jenkins'), '2.479.3');
      assert.match(res.body, /HTTP ERROR 404/);
    }
  });

  it('serves HTML pages for existing objects (e.g. a version probe on the root)', async () => {
    const res = await get(sim.url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-jenkins'), '2.479.3');
    assert.equal((await get(`${sim.url}job/team%20a/job/build/`)).status, 200);
  });

  it('reflects tree changes: addJob, setColor, deleteJob, addBuild', async () => {
    sim.addJob('team a/nested', { name: 'new one', kind: 'freestyle' });
    sim.setColor('team a/nested/deep', 'red');
    sim.addBuild('team a/nested/new one', { number: 1, result: 'SUCCESS', duration: 1, timestamp: 2 });
    let nested = await json(`${sim.url}job/team%20a/job/nested/api/json?tree=jobs[name,color]`);
    assert.deepEqual(
      jobsOf(nested).map((j) => [j.name, j.color]),
      [
        ['deep', 'red'],
        ['grid', 'aborted'],
        ['new one', 'blue'],
      ],
    );
    assert.equal(sim.jobUrl('team a/nested/new one'), `${sim.url}job/team%20a/job/nested/job/new%20one/`);
    sim.deleteJob('team a/nested/new one');
    sim.setColor('team a/nested/deep', undefined);
    nested = await json(`${sim.url}job/team%20a/job/nested/api/json?tree=jobs[name,color]`);
    assert.deepEqual(
      jobsOf(nested).map((j) => [j.name, j.color]),
      [
        ['deep', 'yellow'],
        ['grid', 'aborted'],
      ],
    );
    assert.equal((await get(`${sim.url}job/team%20a/job/nested/job/new%20one/api/json`)).status, 404);
  });

  it('supports pretty=true and gzip', async () => {
    const pretty = await get(`${sim.url}api/json?tree=mode&pretty=true`);
    assert.equal(pretty.body, '{\n  "_class": "hudson.model.Hudson",\n  "mode": "NORMAL"\n}');
    const res = await fetch(`${sim.url}api/json`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(res.headers.get('content-encoding'), 'gzip');
    assert.equal(((await res.json()) as Json)._class, 'hudson.model.Hudson');
  });
});
