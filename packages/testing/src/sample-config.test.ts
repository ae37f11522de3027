import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { API_VERSION, definePlugin, z } from '@muster/sdk';
import { readmeSection, sampleConfigProblems, sampleEntries } from './sample-config.js';

const plugin = definePlugin({
  name: 'probe-me',
  apiVersion: API_VERSION,
  configSchema: z.object({ url: z.string(), retries: z.number().int().default(1) }),
  create: () => ({ collect: () => undefined }),
});

describe('sampleConfigProblems', () => {
  it('is empty for a sample whose every entry uses the plugin with a valid config', () => {
    const text = 'plugins:\n  - { name: a, use: probe-me, config: { url: "http://127.0.0.1/" } }\n  - { name: b, use: probe-me, config: { url: x, retries: 3 } }\n';
    assert.deepEqual(sampleConfigProblems(plugin, text), []);
    assert.deepEqual(
      sampleEntries(text).map((e) => e.name),
      ['a', 'b'],
    );
  });

  it('names each bad entry by its path: another plugin, a refused config, no entry at all', () => {
    const text = 'plugins:\n  - { name: a, use: other, config: { url: x } }\n  - { name: b, use: probe-me, config: { retries: 1.5 } }\n';
    const problems = sampleConfigProblems(plugin, text);
    assert.equal(problems[0], 'plugins[0].use: expected probe-me, found other');
    assert.ok(problems.some((p) => p.startsWith('plugins[1].config.url: ')), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('plugins[1].config.retries: ')), problems.join('\n'));
    assert.deepEqual(sampleConfigProblems(plugin, 'server: { port: 1 }\n'), ['the sample has no plugins entry']);
  });
});

describe('readmeSection', () => {
  const readme = '# p\n\nintro\n\n## Configuration\n\n```yaml\nplugins: []\n```\n\n### Options\n\nx\n\n## Metrics\n\nm\n';
  it('is the section from its heading to the next one of its level', () => {
    assert.equal(readmeSection(readme, 'Configuration'), '\n## Configuration\n\n```yaml\nplugins: []\n```\n\n### Options\n\nx\n');
    assert.equal(readmeSection(readme, 'Metrics'), '\n## Metrics\n\nm\n');
  });

  it('throws, naming the section, when there is none', () => {
    assert.throws(() => readmeSection(readme, 'Options'), /README has no "## Options" section/);
  });
});
