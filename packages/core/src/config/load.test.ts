import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isMusterError } from '../errors.js';
import { CONFIG_LIMITS } from './limits.js';
import { loadConfigFile } from './load.js';

describe('loadConfigFile within limits', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'muster-load-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a regular file over maxBytes by its size, and an endless device after maxBytes', async () => {
    const big = join(dir, 'big.yaml');
    writeFileSync(big, `# ${'x'.repeat(CONFIG_LIMITS.maxBytes)}\n`);
    for (const file of [big, '/dev/zero']) {
      await assert.rejects(loadConfigFile(file, dir), (err) => isMusterError(err, 'MUSTER_ERR_CONFIG_LIMIT') && err.message.includes('maxBytes='));
    }
  });

  it('says a symbolic link that loops cannot be read (ELOOP), not that it does not exist', async () => {
    symlinkSync(join(dir, 'loop-b.yaml'), join(dir, 'loop-a.yaml'));
    symlinkSync(join(dir, 'loop-a.yaml'), join(dir, 'loop-b.yaml'));
    await assert.rejects(loadConfigFile('loop-a.yaml', dir), (err) => isMusterError(err, 'MUSTER_ERR_CONFIG_READ') && err.message.includes('ELOOP'));
    await assert.rejects(loadConfigFile('absent.yaml', dir), (err) => isMusterError(err, 'MUSTER_ERR_CONFIG_NOT_FOUND'));
  });

  it('reads a pipe (--config /dev/stdin) with the same parser and limits', async () => {
    // A shell pipe into a child process: /dev/stdin is that pipe there.
    const script = `import { loadConfigFile } from ${JSON.stringify(new URL('./load.js', import.meta.url).href)};
      const { raw } = await loadConfigFile('/dev/stdin', process.cwd());
      process.stdout.write(JSON.stringify(raw));`;
    const child = spawn('sh', ['-c', 'printf "plugins: []\\nserver: { port: 9 }\\n" | "$NODE" --input-type=module -e "$SCRIPT"'], {
      env: { ...process.env, NODE: process.execPath, SCRIPT: script },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(out), { plugins: [], server: { port: 9 } });
  });

  it('finds an empty muster.yaml by searching, rather than skipping it', async () => {
    const folder = mkdtempSync(join(dir, 'search-'));
    writeFileSync(join(folder, 'muster.yaml'), '');
    writeFileSync(join(folder, '.musterrc.json'), '{"plugins": []}');
    const found = await loadConfigFile(undefined, folder);
    assert.equal(found.filepath, join(folder, 'muster.yaml'));
    assert.equal(found.raw, undefined);
  });

  it('reads every format alike: YAML with or without an extension, JSON, package.json and a JS config', async () => {
    const expected = { plugins: [{ name: 'a', use: 'x' }], server: { port: 9 } };
    const files: Record<string, string> = {
      'muster.yml': 'plugins: [{ name: a, use: x }]\nserver: { port: 9 }\n',
      // Not plain YAML (an anchor): read by the `yaml` package, to the same tree.
      'anchored.yaml': 'plugins: [&a { name: a, use: x }]\nserver: { port: 9 }\n',
      '.musterrc': 'plugins:\n  - name: a\n    use: x\nserver:\n  port: 9\n',
      'muster.config.json': JSON.stringify(expected),
      'package.json': JSON.stringify({ name: 'p', muster: expected }),
      'muster.config.mjs': `export default ${JSON.stringify(expected)};\n`,
    };
    const folder = mkdtempSync(join(dir, 'formats-'));
    for (const [name, text] of Object.entries(files)) {
      writeFileSync(join(folder, name), text);
      assert.deepEqual((await loadConfigFile(name, folder)).raw, expected, name);
    }
    // An empty YAML file holds nothing; a YAML error names the file.
    writeFileSync(join(folder, 'empty.yaml'), '  \n');
    assert.equal((await loadConfigFile('empty.yaml', folder)).raw, undefined);
    writeFileSync(join(folder, 'bad.yaml'), 'plugins:\n  - name: a\n   use: x\n');
    await assert.rejects(loadConfigFile('bad.yaml', folder), (err) => isMusterError(err, 'MUSTER_ERR_CONFIG_PARSE') && err.message.includes(join(folder, 'bad.yaml')));
  });

  it('skips a package.json without a "muster" key', async () => {
    const folder = mkdtempSync(join(dir, 'pkg-'));
    writeFileSync(join(folder, 'package.json'), '{"name": "x"}');
    writeFileSync(join(folder, 'muster.yml'), 'plugins: []\n');
    assert.equal((await loadConfigFile(undefined, folder)).filepath, join(folder, 'muster.yml'));
  });
});
