import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { writeConfig } from './testing/config-file.js';
import { runCli } from './testing/run-cli.js';

describe('muster config --module', { timeout: 120_000 }, () => {
  for (const plugin of ['http-health', 'postgres', 'jenkins']) {
    it(`prints a starter ${plugin} module that validates as it is, with the scrape config that uses it`, async () => {
      const printed = await runCli(['config', '--module', plugin]);
      assert.equal(printed.code, 0, printed.stderr);
      assert.match(printed.stdout, new RegExp(`^modules:\\n(  #.*\\n)*  ${plugin}:\\n    use: ${plugin}\\n`, 'm'));
      assert.match(printed.stdout, /target_label: __param_target/);
      assert.doesNotMatch(printed.stdout, /^ {6}(url|host):/m, 'the target key is left to each probe');
      const checked = await runCli(['validate', '--config', writeConfig(printed.stdout)], { env: { NO_COLOR: '1' } });
      assert.equal(checked.code, 0, `${checked.stdout}${checked.stderr}\n${printed.stdout}`);
      assert.match(checked.stdout, new RegExp(`valid, 0 instance\\(s\\), 1 module\\(s\\)\\n  module ${plugin}: ${plugin}, timeout \\d+ ms, any target\\n`));
    });
  }

  it('refuses a plugin that takes no target', async () => {
    const refused = await runCli(['config', '--module', 'system']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /plugin "system" takes no target, so it cannot be a module/);
    assert.equal(refused.stdout, '');
  });
});
