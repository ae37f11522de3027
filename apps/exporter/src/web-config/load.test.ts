import assert from 'node:assert/strict';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { isMusterError } from '@muster/core';
import { toolSkip } from '@muster/testing';
import { type FixtureCerts, makeFixtureCerts } from './conformance/fixture-certs.js';
import { loadWebConfig } from './load.js';

describe('loadWebConfig', { skip: toolSkip('openssl') }, () => {
  let certs: FixtureCerts;
  let n = 0;
  before(() => {
    certs = makeFixtureCerts();
  });
  const file = (text: string) => {
    const path = join(certs.dir, `load-${++n}.yml`);
    writeFileSync(path, text);
    return path;
  };
  const problems = (text: string): string => {
    try {
      loadWebConfig(file(text));
    } catch (err) {
      assert.ok(isMusterError(err), String(err));
      return `${err.code}\n${err.message}`;
    }
    assert.fail('expected the web config to be refused');
  };
  const TLS = 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n';

  it('refuses a cert_file that is a symlink to an endless device, naming the key', () => {
    symlinkSync('/dev/zero', join(certs.dir, 'zero.crt'));
    const out = problems('tls_server_config:\n  cert_file: zero.crt\n  key_file: server.key\n');
    assert.match(out, /MUSTER_ERR_WEB_CONFIG_INVALID/);
    assert.match(out, /tls_server_config\.cert_file: cannot read zero\.crt: not a regular file \(ENOTREG\)/);
  });

  it('reads header values as Go does: a YAML number by its text', () => {
    const web = loadWebConfig(file('http_server_config:\n  headers:\n    X-XSS-Protection: 1\n    Strict-Transport-Security: 1.0\n'));
    assert.deepEqual(web.headers, { 'X-XSS-Protection': '1', 'Strict-Transport-Security': '1.0' });
  });

  it('refuses header names not written as the toolkit writes them', () => {
    assert.match(problems('http_server_config:\n  headers:\n    x-frame-options: deny\n'), /headers\.x-frame-options: header "x-frame-options" cannot be configured/);
  });

  it('refuses repeated keys and alias floods as YAML errors', () => {
    assert.match(problems('basic_auth_users: {}\nbasic_auth_users: {}\n'), /MUSTER_ERR_WEB_CONFIG_PARSE[\s\S]*line 2/);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)].join('\n');
    const started = Date.now();
    assert.match(problems(`${bomb}\n`), /MUSTER_ERR_WEB_CONFIG_PARSE/);
    assert.ok(Date.now() - started < 60_000);
  });

  it('never prints a key or a password', () => {
    const text = problems(`tls_server_config:\n  cert_file: server.crt\n  key: "-----BEGIN PRIVATE KEY-----\\nc2VjcmV0LWtleS1tYXRlcmlhbA==\\n-----END PRIVATE KEY-----"\nbasic_auth_users:\n  alice: "correct horse"\n`);
    assert.match(text, /tls_server_config\.cert_file: the certificate and key cannot be used together/);
    assert.match(text, /basic_auth_users\.alice: expected a bcrypt hash/);
    assert.doesNotMatch(text, /c2VjcmV0|correct horse/);
  });

  it('refuses a certificate and key that do not match, naming the certificate', () => {
    assert.match(problems('tls_server_config:\n  cert_file: server.crt\n  key_file: client_selfsigned.key\n'), /tls_server_config\.cert_file: the certificate and key cannot be used together/);
  });

  it('reads rate_limit.interval as a Go duration', () => {
    assert.deepEqual(loadWebConfig(file('rate_limit:\n  interval: 1m30s\n  burst: 3\n')).rateLimit, { intervalMs: 90_000, burst: 3 });
    assert.equal(loadWebConfig(file('rate_limit:\n  interval: 0\n')).rateLimit, undefined);
    assert.match(problems('rate_limit:\n  interval: 5\n'), /rate_limit\.interval: expected a duration like "1s"/);
    assert.match(problems('rate_limit:\n  interval: 1s\n  burst: -1\n'), /rate_limit\.burst: expected 0 or more/);
  });

  it('keeps TLS 1.3 on its own suites, and refuses lists that leave no TLS 1.2 suite below TLS 1.3', () => {
    const noH2 = 'http_server_config:\n  http2: false\n';
    // With HTTP/2 on, Go's own rule refuses such a list (no HTTP/2-required TLS 1.2 suite).
    assert.match(problems(`${TLS}  cipher_suites: [TLS_AES_128_GCM_SHA256]\n`), /missing an HTTP\/2-required AES_128_GCM_SHA256 cipher/);
    const only13 = loadWebConfig(file(`${TLS}  cipher_suites: [TLS_AES_128_GCM_SHA256]\n${noH2}`));
    assert.equal(only13.tls?.minVersion, 'TLSv1.3');
    assert.match(problems(`${TLS}  cipher_suites: [TLS_AES_128_GCM_SHA256]\n  max_version: TLS12\n${noH2}`), /lists no cipher suite usable up to TLS 1\.2/);
    assert.match(problems(`${TLS}  min_version: TLS13\n  max_version: TLS12\n`), /min_version TLS13 is above max_version TLS12/);
    assert.match(problems(`${TLS}  cipher_suites: [TLS_RSA_WITH_AES_128_CBC_SHA]\n`), /unknown cipher "TLS_RSA_WITH_AES_128_CBC_SHA"/, "Go's insecure suites are not accepted");
  });

  it('checks cipher, curve and version names even when TLS stays off, as Go decodes them', () => {
    const text = problems('tls_server_config:\n  cipher_suites: [NOPE]\n  curve_preferences: [CurveX]\n  min_version: TLS9\n');
    assert.match(text, /cipher_suites\[0\]: unknown cipher "NOPE"/);
    assert.match(text, /curve_preferences\[0\]: unknown curve "CurveX"/);
    assert.match(text, /min_version: unknown TLS version "TLS9"/);
    assert.equal(loadWebConfig(file('tls_server_config:\n  min_version: TLS13\n')).tls, undefined);
  });

  it("accepts the toolkit's old RequireClientCert name, and refuses unknown policies", () => {
    assert.equal(loadWebConfig(file(`${TLS}  client_auth_type: RequireClientCert\n`)).tls?.clientAuth, 'RequireAnyClientCert');
    assert.match(problems(`${TLS}  client_auth_type: Maybe\n`), /tls_server_config\.client_auth_type: invalid client_auth_type "Maybe"/);
  });

  it('takes inline PEM and resolves file paths against the web config file', () => {
    const pem = (name: string) => certs.read(name).trimEnd().split('\n').map((l) => `    ${l}`).join('\n');
    const web = loadWebConfig(file(`tls_server_config:\n  cert: |\n${pem('server.crt')}\n  key: |\n${pem('server.key')}\n  client_ca: |\n${pem('client_selfsigned.pem')}\n  client_auth_type: RequireAndVerifyClientCert\n  client_allowed_sans: [test]\n`));
    assert.equal(web.tls?.clientAuth, 'RequireAndVerifyClientCert');
    assert.deepEqual(web.tls?.allowedSans, ['test']);
    assert.equal(web.files.length, 1, 'only the web config file itself was read');
    assert.equal(loadWebConfig(file(TLS)).files.length, 3);
  });
});

