import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createError, createIssuesError, ERROR_CODES, type ErrorCode, isMusterError } from './errors.js';

const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

describe('error codes', () => {
  it('documents every code in docs/errors.md, and nothing that is not a code', () => {
    for (const code of Object.keys(ERROR_CODES)) {
      assert.match(doc, new RegExp(`^\\| \`${code}\` \\|`, 'm'), `${code} is documented`);
    }
    const documented = [...doc.matchAll(/^\| `(MUSTER_ERR_[A-Z_]+)` \|/gm)].map((m) => m[1]);
    assert.deepEqual(documented.sort(), Object.keys(ERROR_CODES).sort());
  });

  it('fills the template in order and keeps the code', () => {
    const err = createError('MUSTER_ERR_PLUGIN_API_VERSION', ['acme', 2, 1]);
    assert.equal(err.message, 'plugin "acme" needs plugin API version 2, this muster supports 1');
    assert.equal(err.code, 'MUSTER_ERR_PLUGIN_API_VERSION' satisfies ErrorCode);
    assert.ok(isMusterError(err, 'MUSTER_ERR_PLUGIN_API_VERSION'));
    assert.ok(!isMusterError(err, 'MUSTER_ERR_PLUGIN_LOAD'));
    assert.ok(!isMusterError(new Error('x')));
  });

  it('recognises any of several codes', () => {
    const err = createError('MUSTER_ERR_METRIC_CONFLICT', ['x', 'is declared twice']);
    assert.ok(isMusterError(err, 'MUSTER_ERR_METRIC_INVALID', 'MUSTER_ERR_METRIC_CONFLICT'));
    assert.ok(!isMusterError(err, 'MUSTER_ERR_METRIC_INVALID', 'MUSTER_ERR_PLUGIN_LOAD'));
  });

  it('keeps the issues of an invalid file typed, one line each in the message', () => {
    const issues = [
      { path: 'plugins[0].name', segments: ['plugins', 0, 'name'], message: 'expected a name' },
      { path: 'server.port', segments: ['server', 'port'], message: 'expected a port number 0–65535, found "abc"' },
    ];
    const err = createIssuesError('MUSTER_ERR_CONFIG_INVALID', 'muster.yaml', issues);
    assert.ok(isMusterError(err, 'MUSTER_ERR_CONFIG_INVALID'));
    assert.deepEqual(err.issues, issues);
    assert.equal(err.message, 'config file muster.yaml has 2 error(s):\n  plugins[0].name: expected a name\n  server.port: expected a port number 0–65535, found "abc"');
    assert.deepEqual(createError('MUSTER_ERR_SHUTTING_DOWN', []).issues, []);
  });
});
