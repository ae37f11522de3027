import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GITIGNORE, indexTestTs, indexTs, packageJson, readme, sampleYaml, TSCONFIG, type TemplateVars } from '../scaffold/templates.js';

const PLUGIN_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Where this muster's own SDK and test kit live, when it runs from a checkout. */
function localPackages(): { sdk: string; testing: string } | undefined {
  const root = fileURLToPath(new URL('../../../../', import.meta.url));
  const sdk = join(root, 'packages', 'sdk');
  const testing = join(root, 'packages', 'testing');
  return existsSync(join(sdk, 'package.json')) && existsSync(join(testing, 'package.json')) ? { sdk, testing } : undefined;
}

/**
 * `muster new-plugin <name> [--dir DIR]`: writes a ready plugin package — package.json with the
 * SDK as a peer dependency, a typed config schema and one metric, a test on @muster/testing, a
 * README and a sample config. Until the @muster packages are published, the SDK and test kit of
 * this muster are linked (`link:`), so `pnpm install && pnpm build && pnpm test` work offline.
 */
export async function newPluginCommand(name: string, options: { dir?: string }): Promise<number> {
  if (!PLUGIN_NAME.test(name)) {
    process.stderr.write(`muster: new-plugin: expected a kebab-case name like "weather-station", found "${name}"\n`);
    return 1;
  }
  const dir = resolve(options.dir ?? `muster-plugin-${name}`);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    process.stderr.write(`muster: new-plugin: ${dir} exists and is not empty\n`);
    return 1;
  }
  const local = localPackages();
  const vars: TemplateVars = {
    name,
    prefix: name.replace(/-/g, '_'),
    packageName: `muster-plugin-${name}`,
    sdkSpec: local === undefined ? '^0.1.0' : `link:${local.sdk}`,
    testingSpec: local === undefined ? '^0.1.0' : `link:${local.testing}`,
  };
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
  process.stdout.write(
    `wrote ${vars.packageName} in ${dir}\n\nnext:\n  cd ${dir}\n  pnpm install && pnpm build && pnpm test\n\nthen in a muster config:\n  plugins:\n    - name: ${name}\n      use: ./${dirName}\n      config: { url: http://127.0.0.1:8080/stats.json }\n`,
  );
  if (local === undefined) process.stdout.write('\n(@muster/sdk and @muster/testing are taken from the registry: ^0.1.0)\n');
  return 0;
}
