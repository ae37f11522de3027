import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type JenkinsSimulator, startJenkinsSimulator } from '@muster/jenkins-simulator';
import { eventually, findSamples, parseExposition, promtoolCheck, requireTool, sampleValue } from '@muster/testing';
import { writeConfig } from './testing/config-file.js';
import { type Exporter, startExporter } from './testing/exporter-process.js';
import { runCli } from './testing/run-cli.js';

const total = (parsed: ReturnType<typeof parseExposition>, collector: string) =>
  findSamples(parsed, 'jenkins_jobs', { collector }).reduce((n, s) => n + s.value, 0);

describe('the jenkins plugin through the muster command', () => {
  let sim: JenkinsSimulator;
  let exporter: Exporter | undefined;
  let config: string;
  const token = 'jenkins-api-token-7777';

  before(async () => {
    sim = await startJenkinsSimulator({
      generate: { folders: 6, depth: 3, jobsPerFolder: 3, multibranch: 2, rootJobs: 2, seed: 11 },
      prefix: '/jenkins',
      auth: { username: 'muster', token },
    });
    config = writeConfig(`plugins:
  - name: ci
    use: jenkins
    schedule: 500ms
    timeout: 400ms
    config:
      url: ${sim.url}
      username: muster
      token: \${file:./jenkins-token}
  - name: ci-by-folder
    use: jenkins
    schedule: 1s
    timeout: 900ms
    config: { url: "${sim.url}", username: muster, token: "\${file:./jenkins-token}", byFolder: true, queue: false, computers: false }
`);
    writeFileSync(join(dirname(config), 'jenkins-token'), `${token}\n`);
  });
  after(async () => {
    await exporter?.stop();
    await sim.close();
  });

  it('muster once counts the jobs and keeps the token out of its output', async () => {
    const { code, stdout, stderr } = await runCli(['once', '--config', config]);
    assert.equal(code, 0, stderr);
    const parsed = parseExposition(stdout);
    assert.equal(total(parsed, 'ci'), sim.stats().jobs);
    assert.ok(findSamples(parsed, 'jenkins_jobs', { collector: 'ci-by-folder' }).every((s) => s.labels.folder !== undefined));
    assert.equal(total(parsed, 'ci-by-folder'), sim.stats().jobs);
    assert.equal(parsed.families.filter((f) => f.name === 'jenkins_jobs').length, 1, 'one family for both instances');
    assert.ok(!stdout.includes(token) && !stderr.includes(token));
  });

  it('muster start serves it, loses a deleted job, goes down on a 500 with reason backend-error and comes back', async () => {
    exporter = await startExporter(config);
    const scrape = async () => parseExposition((await exporter!.scrape()).body);
    assert.ok(await eventually(async () => total(await scrape(), 'ci') > 0 && total(await scrape(), 'ci-by-folder') > 0));
    const tool = requireTool('promtool');
    if (!('skip' in tool)) {
      const check = promtoolCheck((await exporter.scrape()).body);
      assert.equal(check.code, 0, check.output);
    }
    const before = sim.stats().jobs;
    sim.deleteJob('root-job-000');
    assert.ok(await eventually(async () => total(await scrape(), 'ci') === before - 1));
    sim.faults = { status: 500 };
    assert.ok(
      await eventually(async () => {
        const p = await scrape();
        return findSamples(p, 'muster_collector_failure_reason', { collector: 'ci', muster_collector_failure_reason: 'backend-error' })[0]?.value === 1;
      }),
    );
    const down = await scrape();
    assert.equal(sampleValue(down, 'muster_collector_up', { collector: 'ci' }), 0);
    assert.equal(findSamples(down, 'jenkins_jobs', { collector: 'ci' }).length, 0, 'series dropped while down (onFailure: drop)');
    sim.faults = {};
    assert.ok(await eventually(async () => findSamples(await scrape(), 'muster_collector_up', { collector: 'ci' })[0]?.value === 1));
    const body = (await exporter.scrape()).body + (await exporter.scrape('/')).body + exporter.output();
    assert.ok(!body.includes(token), 'the token appears nowhere');
  });
});
