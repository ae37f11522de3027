import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { statusOfColor } from '@muster/jenkins-client';
import { type JenkinsSimulator, startJenkinsSimulator } from '@muster/jenkins-simulator';
import { createHarness, findSamples, type ParsedExposition, sampleValue } from '@muster/testing';
import plugin from './index.js';

const jobsBy = (exposition: ParsedExposition, labels: Record<string, string> = {}) =>
  findSamples(exposition, 'jenkins_jobs', labels).reduce((n, s) => n + s.value, 0);

describe('jenkins plugin against a generated Jenkins', () => {
  let sim: JenkinsSimulator;
  before(async () => {
    sim = await startJenkinsSimulator({
      generate: { folders: 12, depth: 3, jobsPerFolder: 4, multibranch: 3, organizationFolders: 1, rootJobs: 5, seed: 7 },
      prefix: '/jenkins',
      auth: { username: 'reader', token: 'api-token-123' },
      queue: [
        { id: 1, task: 'root-job-000', stuck: true, buildable: true },
        { id: 2, task: 'root-job-001', blocked: true },
        { id: 3, task: 'root-job-002', buildable: true },
      ],
      computers: [
        { name: 'built-in', builtIn: true, numExecutors: 2, busyExecutors: 1 },
        { name: 'agent-1', numExecutors: 4, busyExecutors: 2 },
        { name: 'agent-2', numExecutors: 2, offline: true },
        { name: 'agent-3', numExecutors: 1, offline: true, temporarilyOffline: true },
      ],
    });
  });
  after(() => sim.close());

  const config = (extra: Record<string, unknown> = {}) => ({ url: sim.url, username: 'reader', token: 'api-token-123', legacyJobsCount: true, ...extra });

  it('counts every job (nested folders, multibranch branches, organization folders) and no folder', async () => {
    const stats = sim.stats();
    assert.ok(stats.byKind.multibranch > 0 && stats.byKind['organization-folder'] > 0, 'the tree has both kinds of computed folders');
    const h = await createHarness(plugin, config(), { timeout: '5s' });
    try {
      const { health, exposition } = await h.cycle();
      assert.equal(health.up, true, health.lastError);
      assert.deepEqual(exposition.problems, []);
      assert.equal(sampleValue(exposition, 'jenkins_jobs_count'), stats.jobs);
      assert.equal(jobsBy(exposition), stats.jobs);
      // Each status count equals the simulator's own color counts mapped to statuses.
      const expected = new Map<string, number>();
      for (const [color, n] of Object.entries(stats.byColor)) {
        const status = statusOfColor(color);
        expected.set(status, (expected.get(status) ?? 0) + (n ?? 0));
      }
      for (const [status, n] of expected) assert.equal(sampleValue(exposition, 'jenkins_jobs', { status }), n, status);
      assert.equal(sampleValue(exposition, 'jenkins_folders', { kind: 'multibranch' }), stats.byKind.multibranch);
      assert.equal(sampleValue(exposition, 'jenkins_folders', { kind: 'organization-folder' }), stats.byKind['organization-folder']);
      assert.equal(sampleValue(exposition, 'jenkins_folders', { kind: 'folder' }), stats.byKind.folder);
      assert.equal(sampleValue(exposition, 'jenkins_info', { version: sim.version }), 1);
      assert.equal(sampleValue(exposition, 'jenkins_queue_items', { state: 'stuck' }), 1);
      assert.equal(sampleValue(exposition, 'jenkins_queue_items', { state: 'blocked' }), 1);
      assert.equal(sampleValue(exposition, 'jenkins_queue_items', { state: 'buildable' }), 1);
      assert.equal(sampleValue(exposition, 'jenkins_executors', { state: 'busy' }), 3);
      // Jenkins' totalExecutors counts online nodes only: 2 + 4 executors, 3 of them busy.
      assert.equal(sampleValue(exposition, 'jenkins_executors', { state: 'idle' }), 3);
      assert.equal(sampleValue(exposition, 'jenkins_nodes', { state: 'online' }), 2);
      assert.equal(sampleValue(exposition, 'jenkins_nodes', { state: 'offline' }), 1);
      assert.equal(sampleValue(exposition, 'jenkins_nodes', { state: 'temporarily_offline' }), 1);
    } finally {
      await h.close();
    }
  });

  it('exports jenkins_jobs_count only when legacyJobsCount is on', async () => {
    const h = await createHarness(plugin, config({ legacyJobsCount: false, queue: false, computers: false }), { timeout: '5s' });
    try {
      const { exposition } = await h.cycle();
      assert.equal(findSamples(exposition, 'jenkins_jobs_count').length, 0);
      assert.equal(jobsBy(exposition), sim.stats().jobs);
    } finally {
      await h.close();
    }
  });

  it('reads the job tree with exactly one request per cycle, never with depth=', async () => {
    const h = await createHarness(plugin, config({ queue: false, computers: false }), { timeout: '5s' });
    try {
      for (let cycle = 1; cycle <= 3; cycle++) {
        sim.resetRequests();
        assert.equal((await h.cycle()).health.up, true);
        assert.equal(sim.requests.length, 1, `cycle ${cycle}: ${sim.requests.map((r) => r.path).join(', ')}`);
        const [request] = sim.requests;
        assert.equal(request?.path, '/api/json');
        assert.match(request?.query.tree ?? '', /^jobs\[/);
        assert.equal(request?.query.depth, undefined);
      }
    } finally {
      await h.close();
    }
  });

  it('drops a deleted job after the next cycle and follows color changes', async () => {
    const h = await createHarness(plugin, config({ perJobMetrics: { enabled: true, include: ['root-*'] } }), { timeout: '5s' });
    try {
      const first = await h.cycle();
      const before = sampleValue(first.exposition, 'jenkins_jobs_count');
      const rootJobs = findSamples(first.exposition, 'jenkins_job_last_build_result').map((s) => s.labels.jenkins_job);
      const victim = rootJobs[0];
      assert.ok(victim !== undefined, 'per-job series exist for root jobs');
      sim.deleteJob(victim);
      const second = await h.cycle();
      assert.equal(sampleValue(second.exposition, 'jenkins_jobs_count'), before - 1);
      assert.equal(findSamples(second.exposition, 'jenkins_job_last_build_result', { jenkins_job: victim }).length, 0, 'the deleted job vanished');
      const other = rootJobs[1] as string;
      sim.setColor(other, 'red_anime');
      const third = await h.cycle();
      assert.equal(findSamples(third.exposition, 'jenkins_job_last_build_result', { jenkins_job: other }).length, 1);
      assert.ok(sampleValue(third.exposition, 'jenkins_jobs', { status: 'building' }) >= 1);
    } finally {
      await h.close();
    }
  });

  it('filters with folder globs and labels by top-level folder on request', async () => {
    const stats = sim.stats();
    const h = await createHarness(plugin, config({ byFolder: true, folders: { include: ['**'], exclude: ['root-*'] } }), { timeout: '5s' });
    try {
      const { exposition } = await h.cycle();
      const total = sampleValue(exposition, 'jenkins_jobs_count');
      assert.ok(total < stats.jobs && total > 0, `${total} of ${stats.jobs}`);
      assert.equal(jobsBy(exposition), total);
      const folders = new Set(findSamples(exposition, 'jenkins_jobs').map((s) => s.labels.folder));
      assert.ok(folders.size > 1, 'several top-level folders');
      assert.ok(![...folders].some((f) => f?.includes('/')), 'only top-level folder names');
    } finally {
      await h.close();
    }
  });

  it('says when folders sit at maxDepth with contents unread', async () => {
    const stats = sim.stats();
    const h = await createHarness(plugin, config({ maxDepth: 2, queue: false, computers: false }), { timeout: '5s' });
    try {
      const { exposition } = await h.cycle();
      assert.ok(sampleValue(exposition, 'jenkins_folders_at_depth_limit') > 0);
      assert.ok(sampleValue(exposition, 'jenkins_jobs_count') < stats.jobs, 'jobs below the limit are not seen');
      const full = await createHarness(plugin, config({ queue: false, computers: false }), { timeout: '5s', name: 'full' });
      try {
        assert.equal(sampleValue((await full.cycle()).exposition, 'jenkins_folders_at_depth_limit'), 0);
      } finally {
        await full.close();
      }
    } finally {
      await h.close();
    }
  });

  it('caps per-job series at maxJobs and says how many it left out', async () => {
    const h = await createHarness(plugin, config({ perJobMetrics: { enabled: true, maxJobs: 5 } }), { timeout: '5s' });
    try {
      const { exposition } = await h.cycle();
      assert.equal(findSamples(exposition, 'jenkins_job_last_build_result').length, 5);
      assert.equal(sampleValue(exposition, 'jenkins_job_metrics_dropped'), sim.stats().jobs - 5);
    } finally {
      await h.close();
    }
  });
});

describe('jenkins plugin when Jenkins misbehaves', () => {
  let sim: JenkinsSimulator;
  before(async () => {
    sim = await startJenkinsSimulator({
      tree: [
        { name: 'build', kind: 'freestyle', color: 'blue' },
        { name: 'apps', kind: 'folder', children: [{ name: 'web', kind: 'pipeline', color: 'red' }] },
      ],
      auth: { username: 'reader', token: 'right-token' },
    });
  });
  after(() => sim.close());

  const failing = async (extra: Record<string, unknown>, reason: string, timeout = '2s') => {
    const h = await createHarness(
      plugin,
      { url: sim.url, username: 'reader', token: 'right-token', queue: false, computers: false, legacyJobsCount: true, ...extra },
      { timeout },
    );
    try {
      const { health, exposition } = await h.cycle();
      assert.equal(health.up, false);
      assert.equal(health.reason, reason, health.lastError);
      assert.equal(findSamples(exposition, 'jenkins_jobs_count').length, 0, 'nothing committed');
      assert.ok(!(health.lastError ?? '').includes('right-token') && !(health.lastError ?? '').includes('wrong-token'));
      return health;
    } finally {
      await h.close();
    }
  };

  it('a wrong token is auth', async () => {
    await failing({ token: 'wrong-token' }, 'auth');
  });

  it('anonymous access is auth', async () => {
    const h = await createHarness(plugin, { url: sim.url, queue: false, computers: false }, { timeout: '2s' });
    try {
      assert.equal((await h.cycle()).health.reason, 'auth');
    } finally {
      await h.close();
    }
  });

  it('an HTML login page answered with 200 is bad-response', async () => {
    sim.faults = { htmlLogin: true };
    try {
      await failing({}, 'bad-response');
    } finally {
      sim.faults = {};
    }
  });

  it('malformed JSON is bad-response', async () => {
    sim.faults = { malformedJson: true };
    try {
      await failing({}, 'bad-response');
    } finally {
      sim.faults = {};
    }
  });

  it('a 500 is backend-error', async () => {
    sim.faults = { status: 500 };
    try {
      await failing({}, 'backend-error');
    } finally {
      sim.faults = {};
    }
  });

  it('a hang is timeout, within the deadline', async () => {
    sim.faults = { hang: true };
    try {
      const health = await failing({}, 'timeout', '1s');
      assert.ok(health.lastDurationSeconds < 1.5, `took ${health.lastDurationSeconds}s`);
    } finally {
      sim.faults = {};
    }
  });

  it('recovers on the next cycle once Jenkins answers again', async () => {
    const h = await createHarness(plugin, { url: sim.url, username: 'reader', token: 'right-token', queue: false, computers: false, legacyJobsCount: true }, { timeout: '2s' });
    try {
      sim.faults = { status: 503 };
      assert.equal((await h.cycle()).health.up, false);
      sim.faults = {};
      const { health, exposition } = await h.cycle();
      assert.equal(health.up, true);
      assert.equal(health.consecutiveFailures, 0);
      assert.equal(sampleValue(exposition, 'jenkins_jobs_count'), 2);
      assert.equal(findSamples(exposition, 'jenkins_folders', { kind: 'folder' })[0]?.value, 1);
    } finally {
      await h.close();
    }
  });
});
