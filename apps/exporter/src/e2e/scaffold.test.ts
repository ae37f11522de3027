import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseExposition, sampleValue } from '@muster/testing';
import { writeConfig } from './testing/config-file.js';
import { type TestServer, testServer } from './testing/http-backend.js';
import { FIXTURES } from './testing/paths.js';
import { runPnpm } from './testing/pnpm.js';
import { runCli } from './testing/run-cli.js';

const pnpm = (args: string[], cwd: string) => runPnpm(args, cwd);

describe('muster new-plugin, outside the repository', () => {
  let work: string;
  let server: TestServer;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'muster-scaffold-'));
    server = await testServer((_req, res) => res.end(JSON.stringify({ queued: 4, running: 2, name: 'x' })));
  });
  after(() => server.stop());

  it('writes a package that installs, builds and passes its own tests, then loads by path and by package name', async () => {
    const made = await runCli(['new-plugin', 'queue-stats', '--dir', join(work, 'queue-stats')]);
    assert.equal(made.code, 0, made.stderr);
    const plugin = join(work, 'queue-stats');
    for (const step of [['install', '--prefer-offline'], ['build'], ['test']]) {
      const result = await pnpm(step, plugin);
      assert.equal(result.code, 0, `pnpm ${step.join(' ')}:\n${result.output}`);
      if (step[0] === 'test') assert.match(result.output, /ℹ pass 3/);
    }

    // A starter config of the new plugin: its .describe()/.meta() texts as comments, a typed placeholder.
    const starter = await runCli(['config', './queue-stats', '--schema', ''], { cwd: work });
    assert.equal(starter.code, 0, starter.stderr);
    assert.match(starter.stdout, /# A JSON endpoint answering an object of numbers, e\.g\. \{ "queued": 3, "running": 1 \}\.\n(\s+#.*\n)?\s+url: http:\/\/127\.0\.0\.1:8080\/stats\.json\n/);
    assert.match(starter.stdout, /# Which keys to export; all numeric keys when absent/);
    assert.doesNotMatch(starter.stdout, /Invalid input|received undefined/);
    assert.doesNotMatch(readFileSync(join(plugin, 'README.md'), 'utf8'), /https:\/\/github\.com\/\)/);

    const byPath = join(work, 'muster.yaml');
    writeFileSync(byPath, `plugins:\n  - name: queues\n    use: ./queue-stats\n    config: { url: "${server.url}/" }\n`);
    const once = await runCli(['once', '--config', byPath]);
    assert.equal(once.code, 0, once.stderr);
    assert.equal(sampleValue(parseExposition(once.stdout), 'queue_stats_value', { collector: 'queues', key: 'queued' }), 4);

    // A user's project with the package installed (linked, as `pnpm link` or a workspace does).
    const project = join(work, 'project');
    mkdirSync(join(project, 'node_modules'), { recursive: true });
    symlinkSync(plugin, join(project, 'node_modules', 'muster-plugin-queue-stats'), 'dir');
    const byName = join(project, 'muster.yaml');
    writeFileSync(byName, `plugins:\n  - name: queues\n    use: muster-plugin-queue-stats\n    config: { url: "${server.url}/", keys: [running] }\n`);
    const again = await runCli(['once', '--config', byName]);
    assert.equal(again.code, 0, again.stderr);
    const parsed = parseExposition(again.stdout);
    assert.equal(sampleValue(parsed, 'queue_stats_value', { key: 'running' }), 2);
    assert.equal(parsed.samples.filter((s) => s.name === 'queue_stats_value').length, 1);
  });

  it('refuses a folder inside a pnpm or npm workspace, and with --in-workspace wires the package in', async () => {
    const pnpmRoot = join(work, 'pnpm-mono');
    mkdirSync(join(pnpmRoot, 'packages'), { recursive: true });
    writeFileSync(join(pnpmRoot, 'package.json'), JSON.stringify({ name: 'mono', private: true }));
    writeFileSync(join(pnpmRoot, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n');
    const refused = await runCli(['new-plugin', 'inside', '--dir', join(pnpmRoot, 'tools', 'inside')]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /inside the pnpm workspace at .*pnpm-mono/);
    assert.match(refused.stderr, /--in-workspace/);

    const npmRoot = join(work, 'npm-mono');
    mkdirSync(npmRoot);
    writeFileSync(join(npmRoot, 'package.json'), JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }));
    const npmRefused = await runCli(['new-plugin', 'inside', '--dir', join(npmRoot, 'inside')]);
    assert.equal(npmRefused.code, 1);
    assert.match(npmRefused.stderr, /inside the npm workspace/);

    const made = await runCli(['new-plugin', 'inside', '--dir', join(pnpmRoot, 'tools', 'inside'), '--in-workspace']);
    assert.equal(made.code, 0, made.stderr);
    assert.match(readFileSync(join(pnpmRoot, 'pnpm-workspace.yaml'), 'utf8'), /- tools\/inside/);
    // A folder a glob already takes in is left as it is.
    const member = await runCli(['new-plugin', 'member', '--dir', join(pnpmRoot, 'packages', 'member'), '--in-workspace']);
    assert.equal(member.code, 0, member.stderr);
    assert.doesNotMatch(readFileSync(join(pnpmRoot, 'pnpm-workspace.yaml'), 'utf8'), /packages\/member/);
    for (const step of [['install', '--prefer-offline'], ['--filter', 'muster-plugin-inside', 'build'], ['--filter', 'muster-plugin-inside', 'test']]) {
      const result = await pnpm(step, pnpmRoot);
      assert.equal(result.code, 0, `pnpm ${step.join(' ')}:\n${result.output}`);
      if (step.at(-1) === 'test') assert.match(result.output, /ℹ pass 3/);
    }
  });

  it('refuses a bad name and a folder that is not empty', async () => {
    assert.equal((await runCli(['new-plugin', 'Bad_Name', '--dir', join(work, 'bad')])).code, 1);
    const taken = join(work, 'taken');
    mkdirSync(taken);
    writeFileSync(join(taken, 'x'), '');
    const result = await runCli(['new-plugin', 'ok-name', '--dir', taken]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /not empty/);
  });

  it('suggests the kebab-case name a bad one was meant to be, and refuses a --dir that is a file, without a stack trace', async () => {
    const cases: [string, string | undefined][] = [
      ['MyPlugin', 'my-plugin'],
      ['my plugin', 'my-plugin'],
      ['@me/weather', 'weather'],
      ['Weather_Station', 'weather-station'],
      ['../evil', 'evil'],
      ['', undefined],
    ];
    for (const [bad, guess] of cases) {
      const result = await runCli(['new-plugin', bad, '--dir', join(work, 'never')]);
      assert.equal(result.code, 1, bad);
      assert.match(result.stderr, /expected a kebab-case name/, bad);
      if (guess === undefined) assert.doesNotMatch(result.stderr, /did you mean/, bad);
      else assert.ok(result.stderr.includes(`(did you mean "${guess}"?)`), `${bad}: ${result.stderr}`);
    }
    const file = join(work, 'a-file');
    writeFileSync(file, '');
    const result = await runCli(['new-plugin', 'ok-name', '--dir', file]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /a-file exists and is not a folder/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });
});

describe('broken plugins, as a plugin author meets them', () => {
  const broken = (file: string) => join(FIXTURES, 'broken', file);

  it('a wrong apiVersion and a missing default export are config errors naming the plugin', async () => {
    const file = writeConfig(`plugins:\n  - { name: a, use: ${broken('api-version.mjs')} }\n  - { name: b, use: ${broken('no-default.mjs')} }\n`);
    const { code, stderr } = await runCli(['validate', '--config', file]);
    assert.equal(code, 1);
    assert.match(stderr, /plugins\[0\]\.use: .*needs plugin API version 99, this muster supports 1 \[MUSTER_ERR_PLUGIN_API_VERSION\]/);
    assert.match(stderr, /plugins\[1\]\.use: .*expected a default export made with definePlugin\(\).*\[MUSTER_ERR_PLUGIN_INVALID\]/);
  });

  it('a throwing create and a metric clashing with another plugin fail alone, with reason create-failed', async () => {
    const file = writeConfig(`plugins:
  - { name: site, use: http-health, config: { url: "http://127.0.0.1:9/" } }
  - { name: thrower, use: ${broken('throwing-create.mjs')} }
  - { name: clasher, use: ${broken('clash.mjs')} }
`);
    const { code, stdout, stderr } = await runCli(['once', '--config', file]);
    assert.equal(code, 1);
    const parsed = parseExposition(stdout);
    assert.equal(sampleValue(parsed, 'muster_collector_up', { collector: 'site' }), 1);
    for (const collector of ['thrower', 'clasher']) {
      assert.equal(sampleValue(parsed, 'muster_collector_failure_reason', { collector, muster_collector_failure_reason: 'create-failed' }), 1);
    }
    assert.match(stderr, /thrower.*cannot open the widget registry/);
    assert.match(stderr, /clasher.*http_health_status.*already declared by plugin "http-health"/);
  });
});
