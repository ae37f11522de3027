import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMusterError } from '../errors.js';
import { CONFIG_LIMITS, checkTree } from './limits.js';
import { parseJsonConfig, parseYamlConfig } from './parse.js';

/** Ten levels of nine aliases: under 500 bytes, 9^10 values once expanded. */
export function aliasBomb(): string {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\nplugins: *a9\n`;
}

const limited = (limit: string) => (err: unknown) =>
  isMusterError(err, 'MUSTER_ERR_CONFIG_LIMIT') && err.message.includes(`${limit}=`) && err.message.includes('f.yaml');

describe('bounded parsing', () => {
  it('refuses a mapping or a list as a key, naming its line, instead of stringifying it', () => {
    for (const text of ['plugins: []\n? [a, b]\n: 1\n', 'plugins: []\n? &k {a: 1}\n: 1\n']) {
      assert.throws(
        () => parseYamlConfig('f.yaml', text),
        (err) => isMusterError(err, 'MUSTER_ERR_CONFIG_PARSE') && /a key must be a plain value.* at line 2/.test(err.message),
      );
    }
  });

  it('refuses a YAML alias bomb by its alias count, at once', () => {
    const bomb = aliasBomb();
    assert.ok(bomb.length < 600, `${bomb.length} bytes`);
    // Refused by counting aliases, before anything is expanded.
    assert.throws(() => parseYamlConfig('f.yaml', bomb), limited('maxAliases'));
  });

  it('accepts a few aliases, and counts values after expansion', () => {
    const value = parseYamlConfig('f.yaml', 'base: &b {schedule: 1s}\nplugins: [{name: a, use: x, labels: *b}]\n');
    assert.deepEqual((value as { plugins: { labels: unknown }[] }).plugins[0]?.labels, { schedule: '1s' });
    // Within the alias count but past the node count once expanded (a shared subtree counts each time).
    const wide = Array.from({ length: 2_000 }, (_, i) => i);
    const shared = Array.from({ length: 60 }, () => wide);
    assert.throws(() => checkTree('f.yaml', { plugins: shared }), limited('maxNodes'));
  });

  it('refuses YAML nested deeper than maxDepth, in flow and block style', () => {
    const n = CONFIG_LIMITS.maxDepth + 1;
    assert.throws(() => parseYamlConfig('f.yaml', `${'['.repeat(n)}${']'.repeat(n)}`), limited('maxDepth'));
    assert.throws(() => parseYamlConfig('f.yaml', `${'['.repeat(200_000)}${']'.repeat(200_000)}`), limited('maxDepth'));
    const block = Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
    assert.throws(() => parseYamlConfig('f.yaml', `${block} x\n`), limited('maxDepth'));
    const ok = CONFIG_LIMITS.maxDepth;
    assert.doesNotThrow(() => parseYamlConfig('f.yaml', `${'['.repeat(ok)}${']'.repeat(ok)}`));
  });

  it('refuses JSON nested 2,000 deep with a clear error, not a stack overflow', () => {
    const deep = `{"plugins":${'['.repeat(2_000)}${']'.repeat(2_000)}}`;
    assert.throws(() => parseJsonConfig('f.yaml', deep), (err) => limited('maxDepth')(err) && /line 1/.test((err as Error).message));
    // Brackets inside strings do not count.
    assert.deepEqual(parseJsonConfig('f.json', JSON.stringify({ s: '[[[['.repeat(100) })), { s: '[[[['.repeat(100) });
  });

  it('refuses a document larger than maxBytes, YAML or JSON', () => {
    const big = `# ${'x'.repeat(CONFIG_LIMITS.maxBytes)}\n`;
    assert.throws(() => parseYamlConfig('f.yaml', big), limited('maxBytes'));
    assert.throws(() => parseJsonConfig('f.yaml', `"${'x'.repeat(CONFIG_LIMITS.maxBytes)}"`), limited('maxBytes'));
  });

  it('refuses a cyclic tree (a JS config) by its depth', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.throws(() => checkTree('f.yaml', cyclic), limited('maxDepth'));
  });

  it('refuses cosmiconfig\'s $import, which would read other files past these rules', () => {
    for (const parse of [() => parseYamlConfig('f.yaml', '$import: /etc/passwd\nplugins: []\n'), () => parseJsonConfig('f.json', '{"$import": ["a.yaml"]}')]) {
      assert.throws(parse, (err) => isMusterError(err, 'MUSTER_ERR_CONFIG_INVALID') && /\$import/.test(err.message));
    }
  });

  it('keeps syntax errors as they were: js-yaml\'s error, with its place and the lines around it', () => {
    const isJsYamlError = (err: unknown) => {
      const mark = (err as { mark?: { line?: number; snippet?: string } }).mark;
      return (err as Error).name === 'YAMLException' && mark?.line === 2 && /use: x/.test(mark.snippet ?? '');
    };
    assert.throws(() => parseYamlConfig('f.yaml', 'plugins:\n  - name: a\n   use: x\n'), isJsYamlError);
    assert.throws(() => parseJsonConfig('f.json', '{"a": }'), SyntaxError);
  });

  it('reports a line of 150,000 syntax errors in seconds, not the minutes quoting each would take', { timeout: 60_000 }, () => {
    // Every ` &` is an error of the yaml package; quoting the 300 KB line in each message grew
    // with the square of the line (minutes here). Only the first error is reported.
    const text = `k:${' &'.repeat(150_000)}\n`;
    assert.throws(() => parseYamlConfig('f.yaml', text), (err: Error) => err.name === 'YAMLException' && /\(1:5\)/.test(err.message));
  });

  it('keeps the yaml package\'s located error where js-yaml reads the text', () => {
    // A carriage return alone is no line break for the yaml package (a line break for js-yaml).
    assert.throws(() => parseYamlConfig('f.yaml', 'a: 1\rb: 2\n'), (err: Error) => err.name === 'YAMLParseError' && /at line 1, column 4:\n/.test(err.message));
  });
});
