import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { eventually, toolSkip } from '@muster/testing';
import { curl, run, sClient } from '../web-config/conformance/clients.js';
import { type FixtureCerts, makeFixtureCerts } from '../web-config/conformance/fixture-certs.js';
import { type Launched, launch } from '../web-config/conformance/launch.js';
import { runCli } from './testing/run-cli.js';

/**
 * What the web config promises beyond the toolkit's own test cases, checked with real clients:
 * restricted ciphers and curves really are restricted, server cipher order, Go's client
 * certificate semantics in the handshake, the rate limit, `validate` reading `server.webConfig`,
 * and changes applied to new connections (a broken version keeps the last good one).
 */
describe('web config with real TLS clients', { skip: toolSkip('openssl') || toolSkip('curl') }, () => {
  let certs: FixtureCerts;
  let n = 0;
  before(() => {
    certs = makeFixtureCerts();
  });
  const write = (text: string, name = `web-${++n}.yml`) => {
    const path = join(certs.dir, name);
    writeFileSync(path, text);
    return path;
  };
  const serve = (text: string) => launch(certs.dir, write(text));
  const TLS = 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n';
  /** s_client offering exactly these OpenSSL ciphers / groups over TLS 1.2 (or 1.3). */
  const handshake = (port: number, extra: string[]) =>
    run('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', '-CAfile', join(certs.dir, 'tls-ca-chain.pem'), ...extra], 'Q\n');
  const negotiated = (out: string) => /New, \S+, Cipher is ([^(\s]\S*)/.exec(out)?.[1];

  describe('cipher_suites and curve_preferences restrict what is negotiated', () => {
    let server: Launched;
    before(async () => {
      server = await serve(`${TLS}  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]\n  curve_preferences: [CurveP521]\n  max_version: TLS12\n`);
      assert.ok(server.listening, server.output());
    });
    after(() => server.exporter.stop());

    it('refuses every suite not configured', async () => {
      for (const cipher of ['ECDHE-RSA-AES256-SHA', 'AES128-SHA', 'ECDHE-RSA-CHACHA20-POLY1305', 'ECDHE-RSA-AES128-SHA']) {
        const r = await handshake(server.port, ['-tls1_2', '-cipher', cipher, '-groups', 'P-521']);
        assert.equal(negotiated(r.out), undefined, `${cipher} must not be negotiated:\n${r.out}`);
        assert.match(r.out, /alert handshake failure/);
      }
      const ok = await handshake(server.port, ['-tls1_2', '-groups', 'P-521']);
      assert.match(negotiated(ok.out) ?? '', /^ECDHE-RSA-AES(128|256)-GCM-SHA(256|384)$/, ok.out);
    });

    it('refuses every curve not configured', async () => {
      for (const group of ['P-384', 'X25519', 'P-256']) {
        const r = await handshake(server.port, ['-tls1_2', '-groups', group]);
        assert.equal(negotiated(r.out), undefined, `${group} must not be negotiated:\n${r.out}`);
      }
      const ok = await handshake(server.port, ['-tls1_2', '-groups', 'P-384:P-521']);
      assert.match(ok.out, /Server Temp Key: ECDH, (P-521|secp521r1)/, ok.out);
    });
  });

  it('honours the server order when prefer_server_cipher_suites is true, the client order when false', async () => {
    const suites = '  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]\n  max_version: TLS12\n';
    const clientOrder = ['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384'];
    for (const [prefer, expected] of [
      ['true', 'ECDHE-RSA-AES256-GCM-SHA384'],
      ['false', 'ECDHE-RSA-AES128-GCM-SHA256'],
    ] as const) {
      const server = await serve(`${TLS}${suites}  prefer_server_cipher_suites: ${prefer}\n`);
      try {
        const r = await handshake(server.port, clientOrder);
        assert.equal(negotiated(r.out), expected, `prefer_server_cipher_suites: ${prefer}\n${r.out}`);
      } finally {
        await server.exporter.stop();
      }
    }
  });

  describe('client certificate policies, as Go decides them in the handshake', () => {
    it('RequireAnyClientCert: no certificate fails the handshake; any certificate is let in', async () => {
      const server = await serve(`${TLS}  client_auth_type: RequireAnyClientCert\n`);
      try {
        const tls13 = await sClient(server.port, certs.dir, { tls: true });
        assert.equal(tls13.status, undefined, tls13.out);
        assert.match(tls13.out, /alert certificate required/, tls13.out);
        const tls12 = await sClient(server.port, certs.dir, { tls: true, maxVersion: 'TLS12' });
        assert.equal(tls12.status, undefined, tls12.out);
        assert.match(tls12.out, /alert handshake failure/, tls12.out);
        // A certificate no CA vouches for is enough, as in Go.
        const withCert = await sClient(server.port, certs.dir, { tls: true, cert: 'client2_selfsigned' });
        assert.equal(withCert.status, 200, withCert.out);
        assert.deepEqual((await curl(server.port, certs.dir, { tls: true })).statuses, [0]);
      } finally {
        await server.exporter.stop();
      }
    });

    it('VerifyClientCertIfGiven without client_ca_file: no certificate is let in, an untrusted one is refused', async () => {
      const server = await serve(`${TLS}  client_auth_type: VerifyClientCertIfGiven\n`);
      try {
        assert.equal((await sClient(server.port, certs.dir, { tls: true })).status, 200);
        const untrusted = await sClient(server.port, certs.dir, { tls: true, cert: 'client_selfsigned' });
        assert.equal(untrusted.status, undefined, untrusted.out);
      } finally {
        await server.exporter.stop();
      }
    });

    it('VerifyClientCertIfGiven with a client CA: a certificate from it is let in', async () => {
      const server = await serve(`${TLS}  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: client_selfsigned.pem\n`);
      try {
        assert.equal((await sClient(server.port, certs.dir, { tls: true, cert: 'client_selfsigned' })).status, 200);
        assert.equal((await sClient(server.port, certs.dir, { tls: true, cert: 'client2_selfsigned' })).status, undefined);
        assert.equal((await sClient(server.port, certs.dir, { tls: true })).status, 200);
      } finally {
        await server.exporter.stop();
      }
    });
  });

  it('rate_limit: answers 429 with Retry-After past the burst', async () => {
    const server = await serve('rate_limit:\n  interval: 1m\n  burst: 2\n');
    try {
      const answer = await curl(server.port, certs.dir, { tls: false, requests: 4 });
      assert.deepEqual(answer.statuses, [200, 200, 429, 429], answer.out);
      assert.match(answer.headers, /^retry-after: \d+/im);
    } finally {
      await server.exporter.stop();
    }
  });

  it('muster validate reads server.webConfig with the same checks as start', async () => {
    const config = join(certs.dir, 'muster-with-web.yaml');
    writeFileSync(config, 'server:\n  webConfig: web-validate.yml\nplugins: []\n');
    write(`${TLS}  client_auth_type: VerifyClientCertIfGiven\n  cipher_suites: [TLS_FAKE_CIPHER]\n  curve_preferences: [CurveP999]\nbasic_auth_users:\n  alice: hunter2\n`, 'web-validate.yml');
    const bad = await runCli(['validate', '--config', config]);
    assert.equal(bad.code, 1, bad.stdout);
    assert.match(bad.stderr, /web-validate\.yml has 3 error\(s\)/);
    assert.match(bad.stderr, /tls_server_config\.cipher_suites\[0\]: unknown cipher "TLS_FAKE_CIPHER"/);
    assert.match(bad.stderr, /tls_server_config\.curve_preferences\[0\]: unknown curve "CurveP999"/);
    assert.match(bad.stderr, /basic_auth_users\.alice: expected a bcrypt hash/);
    assert.doesNotMatch(bad.stderr, /hunter2/, 'a password written in clear is never printed');
    const missing = await runCli(['validate', '--config', config, '--web-config', join(certs.dir, 'nope.yml')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read web config file .*nope\.yml: no such file \(ENOENT\) \[MUSTER_ERR_WEB_CONFIG_READ\]/);
    write(`${TLS}  client_auth_type: VerifyClientCertIfGiven\n`, 'web-validate.yml');
    const good = await runCli(['validate', '--config', config]);
    assert.equal(good.code, 0, good.stderr);
    assert.match(good.stdout, /web-validate\.yml: valid web config \(TLS TLSv1\.2–TLSv1\.3, client certificates: VerifyClientCertIfGiven/);
  });

  describe('changes apply to new connections without a restart', () => {
    let server: Launched;
    let web: string;
    const subject = async () => /subject=(.*)/.exec((await handshake(server.port, [])).out)?.[1];
    const metrics = async () => (await run('curl', ['-sS', '--cacert', join(certs.dir, 'tls-ca-chain.pem'), '--resolve', `localhost:${server.port}:127.0.0.1`, `https://localhost:${server.port}/metrics`])).out;
    before(async () => {
      web = write(`${TLS}`, 'web-live.yml');
      server = await launch(certs.dir, web);
      assert.ok(server.listening, server.output());
    });
    after(() => server.exporter.stop());

    it('serves a rotated certificate to the next connection', async () => {
      assert.match((await subject()) ?? '', /CN = localhost/);
      // cert-manager's way: new files under the same names.
      execFileSync('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'rotated.key', '-out', 'rotated.csr', '-subj', '/O=muster tests/CN=rotated'], { cwd: certs.dir, stdio: 'ignore' });
      execFileSync('openssl', ['x509', '-req', '-in', 'rotated.csr', '-CA', 'tls-ca-chain.pem', '-CAkey', 'ca.key', '-out', 'rotated.crt', '-days', '1', '-extfile', 'server.ext'], { cwd: certs.dir, stdio: 'ignore' });
      copyFileSync(join(certs.dir, 'rotated.key'), join(certs.dir, 'server.key'));
      copyFileSync(join(certs.dir, 'rotated.crt'), join(certs.dir, 'server.crt'));
      assert.match((await subject()) ?? '', /CN = rotated/);
      assert.match(await metrics(), /muster_web_config_reloads_total\{result="success"\} 1/);
    });

    it('keeps the last good version when the new one is broken, logged and counted', async () => {
      writeFileSync(web, `${TLS}  client_auth_type: RequireAndVerifyClientCert\n  cipher_suites: [TLS_NOT_A_CIPHER]\n`);
      const answer = await sClient(server.port, certs.dir, { tls: true });
      assert.equal(answer.status, 200, 'still served with the last good version (no client certificate needed)');
      assert.ok(
        await eventually(async () => /web config change refused: the last good web config stays/.test(server.output())),
        server.output(),
      );
      assert.match(server.output(), /tls_server_config\.cipher_suites\[0\]: unknown cipher/);
      const text = await metrics();
      assert.match(text, /muster_web_config_reloads_total\{result="failure"\} 1/);
      assert.match(text, /muster_web_config_last_reload_successful 0/);
      // Fixed: the next connection uses it (a client certificate is now required).
      writeFileSync(web, `${TLS}  client_auth_type: RequireAnyClientCert\n`);
      assert.equal((await sClient(server.port, certs.dir, { tls: true })).status, undefined);
      assert.equal((await sClient(server.port, certs.dir, { tls: true, cert: 'client_selfsigned' })).status, 200);
    });
  });

  describe('hostile clients and hostile files', () => {
    let server: Launched;
    let dir: string;
    before(async () => {
      // Its own copies of the certificate and key, which these tests break.
      copyFileSync(join(certs.dir, 'server.crt'), join(certs.dir, 'hostile.crt'));
      copyFileSync(join(certs.dir, 'server.key'), join(certs.dir, 'hostile.key'));
      dir = certs.dir;
      server = await serve('tls_server_config:\n  cert_file: hostile.crt\n  key_file: hostile.key\n  max_version: TLS12\n');
      assert.ok(server.listening, server.output());
    });
    after(() => server.exporter.stop());

    it('refuses a client-initiated renegotiation, as Go does', async () => {
      const socket = connect({ host: '127.0.0.1', port: server.port, servername: 'localhost', ca: readFileSync(join(dir, 'tls-ca-chain.pem')), maxVersion: 'TLSv1.2' });
      socket.on('error', () => undefined);
      await once(socket, 'secureConnect');
      const refused = await new Promise<Error | null>((resolve) => {
        socket.renegotiate({ rejectUnauthorized: true }, (err) => resolve(err));
        socket.once('close', () => resolve(new Error('closed')));
      });
      socket.destroy();
      assert.ok(refused !== null, 'the renegotiation must fail');
      assert.equal((await sClient(server.port, dir, { tls: true })).status, 200, 'the server still serves');
    });

    it('survives its certificate replaced by a symlink to an endless device: the last good stays, logged and counted', async () => {
      rmSync(join(dir, 'hostile.crt'));
      symlinkSync('/dev/zero', join(dir, 'hostile.crt'));
      const answer = await sClient(server.port, dir, { tls: true });
      assert.equal(answer.status, 200, 'served with the last good certificate');
      assert.ok(await eventually(async () => /cert_file: cannot read hostile\.crt: not a regular file \(ENOTREG\)/.test(server.output())), server.output());
      const text = (await run('curl', ['-sS', '--cacert', join(dir, 'tls-ca-chain.pem'), '--resolve', `localhost:${server.port}:127.0.0.1`, `https://localhost:${server.port}/metrics`])).out;
      assert.match(text, /muster_web_config_reloads_total\{result="failure"\} 1/);
      assert.equal(server.exporter.process.exitCode, null, 'still running');
    });
  });
});
