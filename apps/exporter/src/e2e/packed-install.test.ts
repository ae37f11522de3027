/**
 * muster as a stranger installs it: the packages as `pnpm pack` writes them for publishing,
 * installed with npm into an empty folder outside this repository. `npx muster start` serves the
 * default plugins, and a plugin scaffolded by that install builds and passes its tests against the
 * packed SDK and test kit.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually, freePort, parseExposition, requireTool, sampleValue } from '@muster/testing';
import { REPO_ROOT } from './testing/paths.js';
import { childEnv, runPnpm } from './testing/pnpm.js';
import { descendants, isAlive, signalAll } from './testing/process-tree.js';

/** The packages a user installs, and what they depend on of ours. */
const PACKED = [
  'packages/sdk',
  'packages/core',
  'packages/app',
  'packages/testing',
  'packages/jenkins-client',
  'plugins/http-health',
  'plugins/jenkins',
  'plugins/postgres',
  'plugins/system',
  'apps/exporter',
];

/** Runs a command to completion in `cwd`; killed after `timeoutMs` (a hang guard, not a performance bound). */
function run(command: string, args: string[], cwd: string, timeoutMs = 600_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const NPM_FLAGS = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];

describe('the packed packages, installed with npm outside the repository', { timeout: 1_500_000 }, () => {
  let npm: string | undefined;
  let skip: string | undefined;
  let tarballs: Map<string, string>;
  let app: string;

  before(async () => {
    const tool = requireTool('npm');
    if ('skip' in tool) {
      skip = tool.skip;
      return;
    }
    npm = tool.path;
    const packs = mkdtempSync(join(tmpdir(), 'muster-packs-'));
    tarballs = new Map();
    for (const folder of PACKED) {
      const { name } = JSON.parse(readFileSync(join(REPO_ROOT, folder, 'package.json'), 'utf8')) as { name: string };
      const before = new Set(readdirSync(packs));
      const packed = await runPnpm(['pack', '--pack-destination', packs], join(REPO_ROOT, folder));
      assert.equal(packed.code, 0, `pnpm pack in ${folder}:\n${packed.output}`);
      const file = readdirSync(packs).find((f) => !before.has(f));
      assert.ok(file !== undefined, `pnpm pack wrote a tarball for ${name}`);
      tarballs.set(name, join(packs, file));
    }
    app = mkdtempSync(join(tmpdir(), 'muster-packed-app-'));
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'packed-muster-try', private: true, type: 'module' }));
    const installed = await run(npm, ['install', ...NPM_FLAGS, ...tarballs.values()], app);
    assert.equal(installed.code, 0, `npm install of the packed packages:\n${installed.output}`);
  });

  let exporter: ChildProcess | undefined;
  let tree: number[] = [];
  after(() => {
    if (exporter !== undefined && exporter.exitCode === null) exporter.kill('SIGKILL');
    signalAll(tree, 'SIGKILL');
  });

  it('npx muster start serves the default plugins', async (t) => {
    if (skip !== undefined) return t.skip(skip);
    const plugins = await run('npx', ['--no-install', 'muster', 'plugins'], app, 120_000);
    assert.equal(plugins.code, 0, plugins.output);
    for (const name of ['http-health', 'jenkins', 'postgres', 'system']) assert.match(plugins.output, new RegExp(`^${name}\\s`, 'm'));

    copyFileSync(join(REPO_ROOT, 'muster.yaml'), join(app, 'muster.yaml'));
    const port = await freePort();
    exporter = spawn('npx', ['--no-install', 'muster', 'start', '--config', 'muster.yaml', '--host', '127.0.0.1'], {
      cwd: app,
      env: childEnv({ MUSTER_PORT: String(port) }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    exporter.stderr?.on('data', (d) => {
      log += d;
    });
    const url = `http://127.0.0.1:${port}`;
    const ready = await eventually(async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200, 120_000, 200);
    assert.ok(ready, `not ready:\n${log}`);
    tree = descendants(exporter.pid as number);
    // Ready means serving; each instance runs at its own phase within its 15 s interval.
    const scrape = async () => parseExposition(await (await fetch(`${url}/metrics`)).text());
    const ran = async () => {
      const p = await scrape();
      return ['self', 'host'].every((collector) => sampleValue(p, 'muster_collector_up', { collector }) === 1);
    };
    assert.ok(await eventually(ran, 120_000, 500), `the shipped instances did not run:\n${log}`);
    const parsed = await scrape();
    assert.deepEqual(parsed.problems, []);
    assert.equal(sampleValue(parsed, 'muster_collector_up', { collector: 'self' }), 1);
    assert.equal(sampleValue(parsed, 'http_health_status', { collector: 'self', http_health_status: 'healthy' }), 1);
    assert.equal(sampleValue(parsed, 'muster_collector_up', { collector: 'host' }), 1);
    assert.ok(sampleValue(parsed, 'system_memory_bytes', { collector: 'host', state: 'total' }) > 0);
    signalAll([exporter.pid as number, ...tree], 'SIGTERM');
    assert.ok(await eventually(async () => ![exporter?.pid as number, ...tree].some(isAlive), 60_000), `still running:\n${log}`);
  });

  it('a plugin scaffolded by that install builds and passes its tests against the packed SDK', async (t) => {
    if (skip !== undefined || npm === undefined) return t.skip(skip);
    const plugin = join(mkdtempSync(join(tmpdir(), 'muster-packed-plugin-')), 'muster-plugin-queue-stats');
    const made = await run('npx', ['--no-install', 'muster', 'new-plugin', 'queue-stats', '--dir', plugin], app, 120_000);
    assert.equal(made.code, 0, made.output);
    const pkg = JSON.parse(readFileSync(join(plugin, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    assert.equal(pkg.devDependencies['@muster/sdk'], '^0.1.0', 'an installed muster scaffolds against the published SDK');
    // The packed SDK and test kit stand in for the published ones (with the core the kit runs on).
    const ours = ['@muster/sdk', '@muster/testing', '@muster/core'].map((n) => tarballs.get(n) as string);
    const installed = await run(npm, ['install', ...NPM_FLAGS, '--save-dev', ...ours], plugin);
    assert.equal(installed.code, 0, installed.output);
    assert.ok(!existsSync(join(plugin, 'node_modules', 'pg')), 'the test kit installs no database driver');
    const built = await run(npm, ['run', 'build'], plugin);
    assert.equal(built.code, 0, built.output);
    const tested = await run(npm, ['test'], plugin);
    assert.equal(tested.code, 0, tested.output);
    assert.match(tested.output, /ℹ pass 3/);
  });
});
