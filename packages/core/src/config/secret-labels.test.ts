import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { secretLabelIssues } from './secret-labels.js';

describe('secretLabelIssues', () => {
  it('names every label value holding a secret, whole or in part, with its path', () => {
    const config = {
      defaults: { labels: { team: 'web', token: 'tok-123456' } },
      plugins: [{ labels: { ok: 'fine' } }, { labels: { mixed: 'prefix-tok-123456', line: 'second-line' } }],
    };
    const issues = secretLabelIssues(config, new Set(['tok-123456', 'first-line\nsecond-line']));
    assert.deepEqual(
      issues.map((i) => i.path),
      ['defaults.labels.token', 'plugins[1].labels.mixed', 'plugins[1].labels.line'],
    );
    assert.match(issues[0]?.message ?? '', /may not hold a secret/);
    assert.equal(JSON.stringify(issues).includes('tok-123456'), false);
  });

  it('finds nothing without secrets or labels', () => {
    assert.deepEqual(secretLabelIssues({ plugins: [{ labels: { a: 'b' } }] }, new Set()), []);
    assert.deepEqual(secretLabelIssues({ plugins: 'nonsense' }, new Set(['abcdef'])), []);
  });

  it('refuses an instance name holding a secret: it is the collector label of every series', () => {
    const config = { plugins: [{ name: 'fine', labels: {} }, { name: 'tok-123456' }, { name: 'x-tok-123456' }] };
    const issues = secretLabelIssues(config, new Set(['tok-123456']));
    assert.deepEqual(
      issues.map((i) => i.path),
      ['plugins[1].name', 'plugins[2].name'],
    );
    assert.match(issues[0]?.message ?? '', /instance name may not hold a secret/);
  });
});
