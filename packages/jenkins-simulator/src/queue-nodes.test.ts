import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type JenkinsSimulator, startJenkinsSimulator } from './server.js';
import { get, type Json, json, TREE } from './testing/api.js';

describe('Jenkins JSON API: queue, nodes and crumbs', () => {
  let sim: JenkinsSimulator;
  before(async () => {
    sim = await startJenkinsSimulator({ tree: TREE, crumbs: true, version: '2.479.3' });
  });
  after(() => sim.close());

  it('serves the queue, and marks queued jobs inQueue', async () => {
    sim.queue = [
      { id: 11, task: 'solo', inQueueSince: 1000, why: 'Waiting for next available executor' },
      { id: 12, task: 'team a/build', blocked: true, inQueueSince: 2000, stuck: true },
      { id: 13, task: 'gone', buildable: false, inQueueSince: 3000 },
    ];
    try {
      const q = await json(`${sim.url}queue/api/json`);
      assert.equal(q._class, 'hudson.model.Queue');
      const items = q.items as Json[];
      assert.deepEqual(
        items.map((i) => i._class),
        ['hudson.model.Queue$BuildableItem', 'hudson.model.Queue$BlockedItem', 'hudson.model.Queue$WaitingItem'],
      );
      assert.deepEqual(items[0], {
        _class: 'hudson.model.Queue$BuildableItem',
        actions: [],
        blocked: false,
        buildable: true,
        id: 11,
        inQueueSince: 1000,
        params: '',
        stuck: false,
        task: {
          _class: 'org.jenkinsci.plugins.workflow.job.WorkflowJob',
          name: 'solo',
          url: `${sim.url}job/solo/`,
          color: 'red_anime',
        },
        url: 'queue/item/11/',
        why: 'Waiting for next available executor',
        buildableStartMilliseconds: 1000,
        pending: false,
      });
      assert.equal(items[1]!.stuck, true);
      assert.deepEqual(items[2]!.task, {
        _class: 'hudson.model.FreeStyleProject',
        name: 'gone',
        url: `${sim.url}job/gone/`,
        color: 'notbuilt',
      });
      const tree = await json(`${sim.url}queue/api/json?tree=items[id,task[name]]`);
      assert.deepEqual((tree.items as Json[])[1], {
        _class: 'hudson.model.Queue$BlockedItem',
        id: 12,
        task: { _class: 'hudson.model.FreeStyleProject', name: 'build' },
      });
      const solo = await json(`${sim.url}job/solo/api/json?tree=inQueue,queueItem[id]`);
      assert.deepEqual(solo, {
        _class: 'org.jenkinsci.plugins.workflow.job.WorkflowJob',
        inQueue: true,
        queueItem: { _class: 'hudson.model.Queue$BuildableItem', id: 11 },
      });
      assert.equal((await json(`${sim.url}queue/item/12/api/json`)).id, 12);
    } finally {
      sim.queue = [];
    }
  });

  it('serves computers with executors, respecting tree=', async () => {
    sim.computers = [
      { name: 'Built-In Node', builtIn: true, numExecutors: 2, busyExecutors: 1 },
      { name: 'agent-1', numExecutors: 4, busyExecutors: 3, labels: ['linux', 'docker'] },
      { name: 'agent-2', numExecutors: 2, offline: true },
      { name: 'agent-3', numExecutors: 1, temporarilyOffline: true, offlineCauseReason: 'maintenance' },
    ];
    try {
      const cs = await json(`${sim.url}computer/api/json`);
      assert.equal(cs._class, 'hudson.model.ComputerSet');
      assert.equal(cs.displayName, 'Nodes');
      assert.equal(cs.busyExecutors, 4);
      assert.equal(cs.totalExecutors, 6);
      const computers = cs.computer as Json[];
      assert.deepEqual(
        computers.map((c) => c._class),
        [
          'hudson.model.Hudson$MasterComputer',
          'hudson.slaves.SlaveComputer',
          'hudson.slaves.SlaveComputer',
          'hudson.slaves.SlaveComputer',
        ],
      );
      assert.deepEqual(computers[1]!.assignedLabels, [{ name: 'linux' }, { name: 'docker' }]);
      assert.deepEqual(computers[1]!.executors, [{}, {}, {}, {}]);
      assert.equal(computers[1]!.idle, false);
      assert.equal(computers[2]!.offline, true);
      assert.equal(computers[3]!.temporarilyOffline, true);
      assert.equal(computers[3]!.offlineCauseReason, 'maintenance');
      const tree = await json(`${sim.url}computer/api/json?tree=computer[displayName,offline,executors[idle]]`);
      assert.deepEqual((tree.computer as Json[])[0], {
        _class: 'hudson.model.Hudson$MasterComputer',
        displayName: 'Built-In Node',
        executors: [{ idle: false }, { idle: true }],
        offline: false,
      });
      const builtIn = await json(`${sim.url}computer/(built-in)/api/json?tree=numExecutors`);
      assert.deepEqual(builtIn, { _class: 'hudson.model.Hudson$MasterComputer', numExecutors: 2 });
      const root = await json(`${sim.url}api/json?tree=numExecutors`);
      assert.equal(root.numExecutors, 2);
    } finally {
      sim.computers = [{ name: 'Built-In Node', builtIn: true, numExecutors: 2 }];
    }
  });

  it('serves the crumb issuer when crumbs are on', async () => {
    const crumb = await json(`${sim.url}crumbIssuer/api/json`);
    assert.deepEqual(crumb, {
      _class: 'hudson.security.csrf.DefaultCrumbIssuer',
      crumb: sim.crumb,
      crumbRequestField: 'Jenkins-Crumb',
    });
    assert.match(sim.crumb, /^[0-9a-f]{64}$/);
    // Anonymous POSTs need the crumb.
    assert.equal((await get(`${sim.url}api/json`, { method: 'POST' })).status, 403);
    const ok = await get(`${sim.url}api/json`, { method: 'POST', headers: { 'Jenkins-Crumb': sim.crumb } });
    assert.equal(ok.status, 200);
  });

});
