import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { writeConfig } from './testing/config-file.js';
import { type TestServer, testServer } from './testing/http-backend.js';
import { runCli } from './testing/run-cli.js';

const BIN = fileURLToPath(new URL('../../bin/muster.js', import.meta.url));

/** Runs the `muster` command (which restarts itself in place) to its end, stdout and stderr piped. */
function runBin(nodeArgs: string[], args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runCli(args, { entry: BIN, nodeArgs, env, timeoutMs: 60_000 });
}

const hasExecve = typeof (process as { execve?: unknown }).execve === 'function';

describe('the muster command restarting itself', { skip: hasExecve ? false : 'SKIPPED: needs process.execve' }, () => {
  let target: TestServer;
  before(async () => {
    target = await testServer((_req, res) => res.end('ok'));
  });
  after(async () => {
    await target?.stop();
  });

  it('keeps the environment, stdout as a pipe and the exit code, and prints no warning', async () => {
    const config = writeConfig('plugins:\n  - name: env-target\n    use: http-health\n    config:\n      url: ${MUSTER_TEST_TARGET}/\n');
    const run = await runBin([], ['once', '--config', config], { MUSTER_TEST_TARGET: target.url });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /http_health_status\{collector="env-target",http_health_status="healthy"\} 1/);
    assert.doesNotMatch(run.stderr, /Warning/);
  });

  it("exits with validate's codes", async () => {
    assert.equal((await runBin([], ['validate', '--config', writeConfig('plugins: []\n')])).code, 0);
    const bad = await runBin([], ['validate', '--config', writeConfig('plugins: [{bad\n')]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /MUSTER_ERR_CONFIG_PARSE/);
  });

  it('does not restart under a debugger (the session would be dropped): one inspector, one process', async () => {
    const run = await runBin(['--inspect=127.0.0.1:0'], ['validate', '--config', writeConfig('plugins: []\n')]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr.match(/Debugger listening/g)?.length, 1, run.stderr);
  });
});
