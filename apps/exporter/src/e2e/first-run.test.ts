/**
 * The first run of a new user, through the repository's own scripts: turbo hands the user's CA,
 * proxy and MUSTER_* variables to every task, `MUSTER_PORT=… pnpm start` listens there, and a
 * signal to the `pnpm start` process stops the exporter it started.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually, freePort, testCa, type TestCa } from '@muster/testing';
import { REPO_ROOT } from './testing/paths.js';
import { childEnv, spawnPnpm } from './testing/pnpm.js';
import { descendants, isAlive, signalAll } from './testing/process-tree.js';

/** Whether nothing listens on `port` (any address): binding it on all addresses succeeds. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createTcpServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}

/** The probe task: an HTTPS request that trusts only what NODE_EXTRA_CA_CERTS adds, and the variables it sees. */
const PROBE = `import { get } from 'node:https';
import { readFileSync, writeFileSync } from 'node:fs';
const url = readFileSync('target.txt', 'utf8').trim();
const seen = { port: process.env.MUSTER_PORT ?? null, proxy: process.env.NO_PROXY ?? null, control: process.env.FIRST_RUN_CONTROL ?? null };
get(url, (res) => {
  res.resume();
  res.on('end', () => writeFileSync('seen.json', JSON.stringify({ ...seen, https: res.statusCode })));
}).on('error', (err) => writeFileSync('seen.json', JSON.stringify({ ...seen, https: err.code ?? err.message })));
`;

describe('turbo passes the environment a first run needs', () => {
  let ca: TestCa;
  let server: Server;
  let url: string;
  let caFile: string;

  before(async () => {
    ca = await testCa('first-run intercepting proxy CA');
    const cert = await ca.issue({ hosts: ['127.0.0.1'] });
    server = createHttpsServer({ key: cert.key, cert: cert.cert }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    caFile = join(mkdtempSync(join(tmpdir(), 'muster-ca-')), 'ca.pem');
    writeFileSync(caFile, ca.cert);
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  it("a test task run with the repository's turbo.json trusts NODE_EXTRA_CA_CERTS and sees MUSTER_* and proxy variables", async () => {
    // A one-package workspace under the repository's turbo.json, run by the repository's turbo.
    const work = mkdtempSync(join(tmpdir(), 'muster-turbo-env-'));
    copyFileSync(join(REPO_ROOT, 'turbo.json'), join(work, 'turbo.json'));
    const root = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { packageManager: string };
    writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'env-probe-root', private: true, packageManager: root.packageManager }));
    writeFileSync(join(work, 'pnpm-workspace.yaml'), 'packages:\n  - probe\n');
    const pkg = join(work, 'probe');
    mkdirSync(pkg);
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'env-probe', version: '0.0.0', type: 'module', scripts: { test: 'node probe.mjs' } }));
    writeFileSync(join(pkg, 'probe.mjs'), PROBE);
    writeFileSync(join(pkg, 'target.txt'), url);

    const turbo = join(REPO_ROOT, 'node_modules', 'turbo', 'bin', 'turbo');
    const env = childEnv({ NODE_EXTRA_CA_CERTS: caFile, MUSTER_PORT: '9999', NO_PROXY: '127.0.0.1', FIRST_RUN_CONTROL: 'dropped', TURBO_TELEMETRY_DISABLED: '1' });
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [turbo, 'run', 'test', '--output-logs=errors-only'], { cwd: work, env, stdio: 'ignore' });
      child.on('close', resolve);
    });
    assert.equal(code, 0);
    const seen = JSON.parse(readFileSync(join(pkg, 'seen.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(seen.https, 200, `the task's HTTPS request through the test CA: ${String(seen.https)}`);
    assert.equal(seen.port, '9999');
    assert.equal(seen.proxy, '127.0.0.1');
    // turbo still runs tasks in strict mode: a variable nobody listed does not leak in.
    assert.equal(seen.control, null);
  });
});

describe('pnpm start', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`listens on MUSTER_PORT, and ${signal} to the pnpm process stops the exporter it started`, async () => {
      const port = await freePort();
      const { child, output } = spawnPnpm(['start'], REPO_ROOT, childEnv({ MUSTER_PORT: String(port) }));
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      let tree: number[] = [];
      try {
        // Waits for the build (cached by turbo) and the start; the guard only stops a hang.
        const up = await eventually(async () => {
          if (child.exitCode !== null) return true;
          try {
            return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
          } catch {
            return false;
          }
        }, 600_000, 200);
        assert.ok(up && child.exitCode === null, `pnpm start did not serve on MUSTER_PORT=${port}:\n${output()}`);
        tree = descendants(child.pid as number);
        assert.ok(tree.length > 0);
        // The muster command restarted itself in place with its memory flags.
        const cmdlines = tree.map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'));
        assert.ok(cmdlines.some((argv) => argv.includes('--max-semi-space-size=2')), cmdlines.map((a) => a.join(' ')).join('\n'));

        process.kill(child.pid as number, signal); // the pnpm process only, not its group
        await exited;
        // pnpm exits with its child; the guard only stops a hang, it is no performance bound.
        assert.ok(await eventually(async () => !tree.some(isAlive), 60_000), `still running after ${signal}: ${tree.filter(isAlive).join(', ')}`);
        assert.equal(await portIsFree(port), true, `port ${port} is still taken`);
        assert.match(output(), /"msg":"shutting down"/, output());
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
        signalAll(tree, 'SIGKILL');
      }
    });
  }
});
