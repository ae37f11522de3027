import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GITIGNORE, indexTestTs, indexTs, packageJson, readme, sampleYaml, TSCONFIG, type TemplateVars } from '../scaffold/templates.js';
import { addToWorkspace, findWorkspace, type Workspace, workspacePath } from '../scaffold/workspace.js';

const PLUGIN_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** The kebab-case name a bad one was probably meant to be (`MyPlugin`, `@me/x`, `muster-plugin-x`). */
function kebabGuess(name: string): string | undefined {
  const guess = name
    .replace(/^@[^/]*\//, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[-0-9]+|-+$/g, '')
    .replace(/^muster-plugin-/, '');
  return PLUGIN_NAME.test(guess) && guess !== name ? guess : undefined;
}

/** Where this muster's own checkout, SDK and test kit live, when it runs from one. */
function localPackages(): { root: string; sdk: string; testing: string } | undefined {
  const root = fileURLToPath(new URL('../../../../', import.meta.url));
  const sdk = join(root, 'packages', 'sdk');
  const testing = join(root, 'packages', 'testing');
  return existsSync(join(sdk, 'package.json')) && existsSync(join(testing, 'package.json')) ? { root: resolve(root), sdk, testing } : undefined;
}

/** Version specs of the SDK and test kit: the workspace's own, a local checkout's, or the registry's. */
function specs(local: ReturnType<typeof localPackages>, ws: Workspace | undefined): { sdkSpec: string; testingSpec: string; note?: string } {
  if (ws !== undefined && local !== undefined && resolve(ws.root) === local.root) return { sdkSpec: 'workspace:*', testingSpec: 'workspace:*' };
  if (local === undefined) return { sdkSpec: '^0.1.0', testingSpec: '^0.1.0', note: '(@muster/sdk and @muster/testing are taken from the registry: ^0.1.0)' };
  // npm knows file:, pnpm and yarn also link:; a link keeps one copy of the SDK.
  const protocol = ws?.kind === 'npm' ? 'file:' : 'link:';
  return { sdkSpec: `${protocol}${local.sdk}`, testingSpec: `${protocol}${local.testing}` };
}

/**
 * `muster new-plugin <name> [--dir DIR] [--in-workspace]`: writes a ready plugin package —
 * package.json with the SDK as a peer dependency, a typed and described config schema and one
 * metric, a test on @muster/testing, a README and a sample config. It refuses a folder inside a
 * pnpm or npm workspace (whose install would skip the package) unless told `--in-workspace`:
 * then the package is added to the workspace's packages and, in a muster checkout, takes the SDK
 * and test kit from it (`workspace:*`). Outside, a muster checkout's SDK and test kit are linked,
 * so `pnpm install && pnpm build && pnpm test` work offline.
 */
export async function newPluginCommand(name: string, options: { dir?: string; inWorkspace?: boolean }): Promise<number> {
  if (!PLUGIN_NAME.test(name)) {
    const guess = kebabGuess(name);
    process.stderr.write(
      `muster: new-plugin: expected a kebab-case name like "weather-station", found "${name}"${guess === undefined ? '' : ` (did you mean "${guess}"?)`}\n`,
    );
    return 1;
  }
  const dir = resolve(options.dir ?? `muster-plugin-${name}`);
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    process.stderr.write(`muster: new-plugin: ${dir} exists and is not a folder\n`);
    return 1;
  }
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    process.stderr.write(`muster: new-plugin: ${dir} exists and is not empty\n`);
    return 1;
  }
  const ws = findWorkspace(dirname(dir));
  if (ws !== undefined && options.inWorkspace !== true) {
    const outside = join(dirname(ws.root), `muster-plugin-${name}`);
    process.stderr.write(
      `muster: new-plugin: ${dir} is inside the ${ws.kind} workspace at ${ws.root}, where \`${ws.kind} install\` would not set it up.\n` +
        `  Write it elsewhere: muster new-plugin ${name} --dir ${outside}\n` +
        `  or make it a package of that workspace: muster new-plugin ${name} --dir ${dir} --in-workspace\n`,
    );
    return 1;
  }
  const local = localPackages();
  const { sdkSpec, testingSpec, note } = specs(local, ws);
  const vars: TemplateVars = { name, prefix: name.replace(/-/g, '_'), packageName: `muster-plugin-${name}`, sdkSpec, testingSpec };
  const dirName = basename(dir);
  mkdirSync(join(dir, 'src'), { recursive: true });
  const files: Record<string, string> = {
    'package.json': packageJson(vars),
    'tsconfig.json': TSCONFIG,
    '.gitignore': GITIGNORE,
    'src/index.ts': indexTs(vars),
    'src/index.test.ts': indexTestTs(vars),
    'sample.yaml': sampleYaml(vars, dirName),
    'README.md': readme(vars, dirName),
  };
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  let next = `  cd ${dir}\n  pnpm install && pnpm build && pnpm test\n`;
  if (ws !== undefined) {
    const added = addToWorkspace(ws, dir);
    const where = ws.kind === 'pnpm' ? 'pnpm-workspace.yaml' : 'package.json "workspaces"';
    process.stdout.write(added ? `added ${workspacePath(ws, dir)} to ${where} in ${ws.root}\n` : `${workspacePath(ws, dir)} is already a package of the workspace at ${ws.root}\n`);
    next =
      ws.kind === 'pnpm'
        ? `  cd ${ws.root}\n  pnpm install && pnpm --filter ${vars.packageName} build && pnpm --filter ${vars.packageName} test\n`
        : `  cd ${ws.root}\n  npm install && npm run build -w ${vars.packageName} && npm test -w ${vars.packageName}\n`;
  }
  process.stdout.write(
    `wrote ${vars.packageName} in ${dir}\n\nnext:\n${next}\nthen in a muster config:\n  plugins:\n    - name: ${name}\n      use: ./${dirName}\n      config: { url: http://127.0.0.1:8080/stats.json }\n`,
  );
  if (note !== undefined) process.stdout.write(`\n${note}\n`);
  return 0;
}
