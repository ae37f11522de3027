/**
 * The shell commands of the README and of docs/getting-started.md, run as a reader would: every
 * line of their fenced `sh` blocks must match a rule below, so a command added to the docs without
 * a way to check it fails this test. Each page runs in one fresh folder holding a
 * copy of the shipped muster.yaml, its commands in order (`> file` redirects included).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { eventually, freePort } from '@muster/testing';
import { writeConfig } from './testing/config-file.js';
import { CLI, REPO_ROOT } from './testing/paths.js';
import { runCli } from './testing/run-cli.js';

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const rootPackage = JSON.parse(read('package.json')) as { packageManager: string; scripts: Record<string, string> };

/** The commands of a page's fenced shell blocks, one per `&&`-joined part, comments dropped. */
function shellCommands(markdown: string): string[] {
  const commands: string[] = [];
  for (const block of markdown.matchAll(/^```(?:sh|bash|shell)\n([\s\S]*?)^```/gm)) {
    for (const line of (block[1] as string).split('\n')) {
      const code = line.replace(/\s+#.*$/, '').trim();
      if (code === '' || code.startsWith('#')) continue;
      commands.push(...code.split('&&').map((c) => c.trim()));
    }
  }
  return commands;
}

/** A sandbox: the folder a page's commands run in, and the port its exporter may use. */
interface Sandbox {
  readonly dir: string;
  readonly port: number;
}

/** Runs `muster ARGS` in the sandbox; `> file` writes stdout there. */
async function muster(args: string[], sandbox: Sandbox): Promise<void> {
  const redirect = args.indexOf('>');
  const out = redirect === -1 ? undefined : args[redirect + 1];
  const argv = redirect === -1 ? args : args.slice(0, redirect);
  const env = { MUSTER_PORT: String(sandbox.port) };
  if (argv[0] === 'start') {
    const child = spawn(process.execPath, [CLI, ...argv, '--port', String(sandbox.port), '--host', '127.0.0.1'], {
      cwd: sandbox.dir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    child.stderr.on('data', (d) => {
      log += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const up = await eventually(async () => {
        if (child.exitCode !== null) return true;
        return (await fetch(`http://127.0.0.1:${sandbox.port}/healthz`).catch(() => undefined))?.ok === true;
      }, 60_000);
      assert.ok(up && child.exitCode === null, `muster ${argv.join(' ')} did not serve:\n${log}`);
      // /healthz may answer before the log lines written just before it have crossed the pipe.
      const order = /"msg":"muster is listening"[\s\S]*"msg":"instance configured"/;
      await eventually(async () => order.test(log), 30_000);
      assert.match(log, order, 'the start-up log order the docs describe');
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, `muster ${argv.join(' ')} exits 0 on SIGTERM:\n${log}`);
    return;
  }
  const result = await runCli(argv, { cwd: sandbox.dir, env });
  if (argv[0] === 'once') {
    // It exits 1 when a cycle failed (the sample targets may not answer here); it always prints the exposition.
    assert.ok(result.code === 0 || result.code === 1, result.stderr);
    assert.match(result.stdout, /^muster_collector_up\{/m);
  } else assert.equal(result.code, 0, `muster ${argv.join(' ')}:\n${result.stderr}`);
  if (out !== undefined) writeFileSync(join(sandbox.dir, out), result.stdout);
}

/** What to do with each documented command. */
const RULES: { match: RegExp; run: (m: RegExpExecArray, sandbox: Sandbox) => Promise<void> | void }[] = [
  {
    // Not run (a global install): the version must be the one the repository pins.
    match: /^npm install -g pnpm@(\S+)$/,
    run: (m) => assert.equal(`pnpm@${m[1]}`, rootPackage.packageManager),
  },
  {
    // Not run again: the run executing this test installed the workspace.
    match: /^pnpm install$/,
    run: () => assert.ok(existsSync(join(REPO_ROOT, 'node_modules', '.modules.yaml'))),
  },
  {
    // Not run from here (they would run this test again): they are the root scripts the docs say.
    match: /^pnpm (build|test)$/,
    run: (m) => assert.match(rootPackage.scripts[m[1] as string] ?? '', /^turbo run /),
  },
  {
    // Run, with MUSTER_PORT and signals, by first-run.test.ts.
    match: /^pnpm start$/,
    run: () => assert.match(rootPackage.scripts.start ?? '', /&& exec node apps\/exporter\/bin\/muster\.js start --config muster\.yaml$/),
  },
  {
    match: /^(?:muster|pnpm muster|node apps\/exporter\/bin\/muster\.js) (.+)$/,
    run: async (m, sandbox) => {
      if (m[0].startsWith('pnpm muster')) assert.equal(rootPackage.scripts.muster, 'node apps/exporter/bin/muster.js');
      await muster((m[1] as string).split(/\s+/), sandbox);
    },
  },
];

async function runPage(page: string): Promise<string[]> {
  const commands = shellCommands(read(page));
  assert.ok(commands.length > 0, `${page} has shell commands`);
  const dir = mkdtempSync(join(tmpdir(), 'muster-docs-'));
  copyFileSync(join(REPO_ROOT, 'muster.yaml'), join(dir, 'muster.yaml'));
  const sandbox = { dir, port: await freePort() };
  for (const command of commands) {
    const rule = RULES.map((r) => ({ r, m: r.match.exec(command) })).find((x) => x.m !== null);
    assert.ok(rule !== undefined, `${page}: no rule checks \`${command}\`; add one to docs-commands.test.ts`);
    await rule.r.run(rule.m as RegExpExecArray, sandbox);
  }
  return commands;
}

describe('the commands of the docs', () => {
  it('README.md: every fenced shell command runs or is checked', async () => {
    const commands = await runPage('README.md');
    assert.ok(commands.includes('pnpm start') && commands.includes('pnpm test'));
  });

  it('docs/getting-started.md: every fenced shell command runs, in order, in one folder', async () => {
    const commands = await runPage('docs/getting-started.md');
    assert.ok(commands.some((c) => c.startsWith('muster validate')));
  });

  it("docs/getting-started.md: the validate example is what muster prints for it", async () => {
    const page = read('docs/getting-started.md');
    const example = /```\n(muster: muster\.yaml: [\s\S]*?)```/.exec(page)?.[1];
    assert.ok(example !== undefined, 'the example output block');
    const file = writeConfig(`server:
  port: \${MUSTER_PORT:-abc}
plugins:
  - name: shop
    use: http-health
    tiemout: 5s
    config:
      url: shop.example/health
`);
    const { code, stderr } = await runCli(['validate', '--config', file], { env: { MUSTER_PORT: '', NO_COLOR: '1' } });
    assert.equal(code, 1);
    assert.equal(stderr.replaceAll(file, 'muster.yaml'), example);
  });
});
