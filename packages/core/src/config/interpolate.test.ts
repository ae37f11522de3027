import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { interpolate } from './interpolate.js';

/** The interpolated value at `plugins[0].config`, for configs shaped like a real one. */
function configOf(value: unknown): Record<string, unknown> {
  const root = value as { plugins: { config: Record<string, unknown> }[] };
  const first = root.plugins[0];
  assert.ok(first !== undefined);
  return first.config;
}

describe('interpolate', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'muster-interpolate-'));
    writeFileSync(join(dir, 'token.txt'), 's3cret-from-file\n');
    writeFileSync(join(dir, 'crlf.txt'), 'windows-secret\r\n');
    writeFileSync(join(dir, 'two-newlines.txt'), 'line1\nline2\n\n');
    writeFileSync(join(dir, 'template.txt'), 'literal ${NOT_EXPANDED}\n');
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces ${VAR} anywhere in a string, in nested objects and arrays', () => {
    const raw = {
      server: { host: '${HOST}' },
      plugins: [{ name: 'a', config: { url: 'http://${HOST}:${PORT}/api', list: ['x-${PORT}', 7, true, null] } }],
    };
    const { value, issues } = interpolate(raw, { HOST: 'example.test', PORT: '8080' }, dir);
    assert.deepEqual(issues, []);
    assert.deepEqual(value, {
      server: { host: 'example.test' },
      plugins: [{ name: 'a', config: { url: 'http://example.test:8080/api', list: ['x-8080', 7, true, null] } }],
    });
  });

  it('does not mutate its input', () => {
    const raw = { a: '${X}' };
    interpolate(raw, { X: 'y' }, dir);
    assert.deepEqual(raw, { a: '${X}' });
  });

  it('uses the default of ${VAR:-default} only when the variable is unset or empty', () => {
    const raw = { a: '${SET:-fallback}', b: '${UNSET:-fallback}', c: '${EMPTY:-fallback}', d: '${UNSET:-}' };
    const { value, issues } = interpolate(raw, { SET: 'real', EMPTY: '' }, dir);
    assert.deepEqual(issues, []);
    assert.deepEqual(value, { a: 'real', b: 'fallback', c: 'fallback', d: '' });
  });

  it('allows spaces inside the braces', () => {
    const { value, issues } = interpolate({ a: '${ NAME }' }, { NAME: 'n' }, dir);
    assert.deepEqual(issues, []);
    assert.deepEqual(value, { a: 'n' });
  });

  it('turns $${ into a literal ${ and does not expand what follows', () => {
    const { value, issues } = interpolate({ a: 'cost: $${PRICE} and ${PRICE}' }, { PRICE: '5' }, dir);
    assert.deepEqual(issues, []);
    assert.deepEqual(value, { a: 'cost: ${PRICE} and 5' });
  });

  it('does not expand placeholders that appear inside an interpolated value', () => {
    const { value, issues } = interpolate(
      { a: '${OUTER}', b: '${file:template.txt}' },
      { OUTER: '${INNER}', INNER: 'nope' },
      dir,
    );
    assert.deepEqual(issues, []);
    assert.deepEqual(value, { a: '${INNER}', b: 'literal ${NOT_EXPANDED}' });
  });

  it('reads ${file:relative/path} relative to baseDir and strips one trailing newline', () => {
    const raw = {
      a: '${file:token.txt}',
      b: '${file:crlf.txt}',
      c: '${file:two-newlines.txt}',
      d: `\${file:${join(dir, 'token.txt')}}`,
      e: 'Bearer ${file: token.txt }',
    };
    // The process's cwd is not dir: a path resolved against the cwd would not be found.
    assert.notEqual(process.cwd(), dir);
    const { value, issues } = interpolate(raw, {}, dir);
    assert.deepEqual(issues, []);
    assert.deepEqual(value, {
      a: 's3cret-from-file',
      b: 'windows-secret',
      c: 'line1\nline2\n',
      d: 's3cret-from-file',
      e: 'Bearer s3cret-from-file',
    });
  });

  it('reports a missing variable with the config path where it sits', () => {
    const raw = { plugins: [{ name: 'a', config: { url: 'http://h', token: 'Bearer ${API_TOKEN}' } }] };
    const { value, issues } = interpolate(raw, {}, dir);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.path, 'plugins[0].config.token');
    assert.match(issues[0]?.message ?? '', /API_TOKEN/);
    assert.match(issues[0]?.message ?? '', /not set/);
    assert.equal(configOf(value).token, 'Bearer ');
  });

  it('formats paths with odd keys and array indexes the way a config file reads', () => {
    const raw = { plugins: [{ config: { headers: { 'X Api Key': '${NOPE}' }, list: ['ok', '${NOPE}'] } }] };
    const { issues } = interpolate(raw, {}, dir);
    assert.deepEqual(
      issues.map((i) => i.path),
      ['plugins[0].config.headers["X Api Key"]', 'plugins[0].config.list[1]'],
    );
  });

  it('reports an unreadable file with its path and the error code', () => {
    const raw = { plugins: [{ config: { password: '${file:does/not/exist.txt}', cert: '${file:.}' } }] };
    const { issues } = interpolate(raw, {}, dir);
    assert.equal(issues.length, 2);
    assert.equal(issues[0]?.path, 'plugins[0].config.password');
    assert.match(issues[0]?.message ?? '', /does\/not\/exist\.txt/);
    assert.match(issues[0]?.message ?? '', /ENOENT/);
    assert.equal(issues[1]?.path, 'plugins[0].config.cert');
    assert.match(issues[1]?.message ?? '', /EISDIR/);
  });

  it('reports bad ${…} syntax instead of passing it through', () => {
    const raw = { a: '${}', b: '${1ABC}', c: '${MY-VAR}', d: '${file:}', e: '${A B}' };
    const { value, issues } = interpolate(raw, { '1ABC': 'x', 'MY-VAR': 'y', A: 'z' }, dir);
    assert.deepEqual(
      issues.map((i) => i.path),
      ['a', 'b', 'c', 'd', 'e'],
    );
    for (const issue of issues) assert.match(issue.message, /expected/);
    assert.deepEqual(value, { a: '', b: '', c: '', d: '', e: '' });
  });

  it(
    'reports an unclosed ${ instead of passing it through literally',
        () => {
      const { issues } = interpolate({ plugins: [{ config: { token: 'Bearer ${API_TOKEN' } }] }, { API_TOKEN: 'x' }, dir);
      assert.equal(issues.length, 1);
      assert.equal(issues[0]?.path, 'plugins[0].config.token');
    },
  );

  it('collects every issue of the tree, not just the first', () => {
    const raw = { a: '${ONE} ${TWO}', b: ['${file:nope.txt}'] };
    const { issues } = interpolate(raw, {}, dir);
    assert.deepEqual(
      issues.map((i) => i.path),
      ['a', 'a', 'b[0]'],
    );
  });

  it('leaves non-string values and strings without placeholders as they are', () => {
    const raw = { n: 1.5, t: true, z: null, s: 'plain $ text {x}', d: '$HOME' };
    const { value, issues, secrets } = interpolate(raw, { HOME: '/root' }, dir);
    assert.deepEqual(issues, []);
    assert.deepEqual(value, raw);
    assert.equal(secrets.size, 0);
  });

  describe('secrets', () => {
    it('always treats file contents as secret, whatever the key', () => {
      const { secrets } = interpolate({ plugins: [{ config: { url: '${file:token.txt}' } }] }, {}, dir);
      assert.deepEqual([...secrets], ['s3cret-from-file']);
    });

    it('treats env values as secret when the variable name hints at a credential', () => {
      const env = {
        DB_PASSWORD: 'pw-value',
        API_TOKEN: 'token-value',
        AWS_SECRET: 'secret-value',
        PG_DSN: 'dsn-value',
        HOST: 'host-value',
      };
      const raw = { plugins: [{ config: { a: '${DB_PASSWORD}', b: '${API_TOKEN}', c: '${AWS_SECRET}', d: '${PG_DSN}', e: '${HOST}' } }] };
      const { secrets } = interpolate(raw, env, dir);
      assert.deepEqual([...secrets].sort(), ['dsn-value', 'pw-value', 'secret-value', 'token-value']);
      assert.equal(secrets.has('host-value'), false);
    });

    it('treats the default of a credential-named variable as secret, and no other default', () => {
      const raw = { plugins: [{ config: { a: '${DB_PASSWORD:-default-pw}', b: '${HOST:-localhost}' } }] };
      const { secrets } = interpolate(raw, {}, dir);
      assert.deepEqual([...secrets], ['default-pw']);
    });

    it('treats env values as secret when the config key (or a parent key) hints at a credential', () => {
      const env = { V1: 'value-one', V2: 'value-two', V3: 'value-three', V4: 'value-four' };
      const raw = {
        plugins: [
          {
            config: {
              password: '${V1}',
              apiKey: '${V2}',
              headers: { 'X-Custom': '${V3}' },
              url: 'http://${V4}/',
            },
          },
        ],
      };
      const { value, secrets } = interpolate(raw, env, dir);
      assert.deepEqual([...secrets].sort(), ['value-one', 'value-three', 'value-two']);
      assert.equal(configOf(value).url, 'http://value-four/');
    });

    it('treats literal values of password-, token-, key- and secret-named keys as secret, and no other literal', () => {
      const raw = {
        plugins: [
          {
            config: {
              password: 'literal-pw',
              auth: { apiKey: 'literal-key', clientSecret: 'literal-cs', jenkinsToken: 'literal-tok' },
              headers: { accept: 'application/json' },
              tokenFile: '/run/secrets/t',
              keyword: 'not-a-secret',
            },
          },
        ],
      };
      const { secrets } = interpolate(raw, {}, dir);
      assert.deepEqual([...secrets].sort(), ['literal-cs', 'literal-key', 'literal-pw', 'literal-tok']);
    });
  });

  it('keeps a "__proto__" key as a plain key, not as the prototype of the result', () => {
    const raw = JSON.parse('{"__proto__": {"server": {"port": 1}}, "plugins": []}');
    const out = interpolate(raw, {}, '/').value as Record<string, unknown>;
    assert.deepEqual(Object.keys(out), ['__proto__', 'plugins']);
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.equal((out as { server?: unknown }).server, undefined);
  });
});
