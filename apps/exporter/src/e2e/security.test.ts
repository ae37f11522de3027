import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, testCa } from '@muster/testing';
import { writeConfig } from './testing/config-file.js';
import { type Exporter, startExporter } from './testing/exporter-process.js';
import { FIXTURES } from './testing/paths.js';
import { runCli } from './testing/run-cli.js';

/** A bcrypt hash as `htpasswd -nbB -C 4 alice wonderland-pass` wrote it ($2y$). */
const ALICE = '$2y$04$f3Gaf46WrAWtY2P178tfH.srDld9OW.Wiif4iaSMES2qRffs9qySm';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

interface Pems {
  ca: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  strangerCert: string;
  strangerKey: string;
}

async function makePems(): Promise<Pems> {
  const [ca, other] = await Promise.all([testCa(), testCa('another CA')]);
  const [server, client, stranger] = await Promise.all([
    ca.issue({ hosts: ['127.0.0.1'] }),
    ca.issue({ usage: 'client' }),
    other.issue({ usage: 'client' }),
  ]);
  return {
    ca: ca.cert,
    caKey: ca.key,
    serverCert: server.cert,
    serverKey: server.key,
    clientCert: client.cert,
    clientKey: client.key,
    strangerCert: stranger.cert,
    strangerKey: stranger.key,
  };
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(url: string, options: { ca?: string; cert?: string; key?: string; auth?: string; maxVersion?: 'TLSv1.2' | 'TLSv1.3' } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        ca: options.ca,
        cert: options.cert,
        key: options.key,
        agent: false,
        ...(options.maxVersion === undefined ? {} : { maxVersion: options.maxVersion }),
        headers: options.auth === undefined ? {} : { authorization: options.auth },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.setTimeout(5_000, () => req.destroy(new Error('timeout')));
    req.end();
  });
}

describe('endpoint security with a web config', () => {
  let pems: Pems;
  before(async () => {
    pems = await makePems();
  });

  const startSecured = async (web: string): Promise<{ exporter: Exporter; url: string }> => {
    const config = writeConfig(`plugins:\n  - { name: quick, use: ${join(FIXTURES, 'sleepy.mjs')}, schedule: 1s, timeout: 500ms, config: { sleepMs: 1 } }\n`);
    const dir = dirname(config);
    writeFileSync(join(dir, 'server.crt'), pems.serverCert);
    writeFileSync(join(dir, 'server.key'), pems.serverKey);
    writeFileSync(join(dir, 'ca.crt'), pems.ca);
    writeFileSync(join(dir, 'web.yml'), web);
    const port = await freePort();
    // startExporter waits on plain-HTTP /healthz, which a TLS port never answers: start it and poll here.
    const exporter = await startExporter(config, { args: ['--web-config', join(dir, 'web.yml')], port, waitFor: 'none' });
    const url = `https://127.0.0.1:${port}`;
    const deadline = Date.now() + 10_000;
    for (;;) {
      const up = await get(`${url}/healthz`, { ca: pems.ca, cert: pems.clientCert, key: pems.clientKey, auth: basic('alice', 'wonderland-pass') }).then(
        () => true,
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline) throw new Error(`muster did not start:\n${exporter.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return { exporter, url };
  };

  describe('TLS 1.3 only, basic auth, headers', () => {
    let exporter: Exporter;
    let url: string;
    before(async () => {
      ({ exporter, url } = await startSecured(`tls_server_config:
  cert_file: server.crt
  key_file: server.key
  min_version: TLS13
http_server_config:
  headers:
    X-Frame-Options: deny
    Strict-Transport-Security: max-age=31536000
basic_auth_users:
  alice: ${ALICE}
`));
    });
    after(() => exporter.stop());

    it('answers the right password, and 401 with a challenge to anything else', async () => {
      const good = await get(`${url}/metrics`, { ca: pems.ca, auth: basic('alice', 'wonderland-pass') });
      assert.equal(good.status, 200);
      assert.match(good.body, /muster_collector_up\{collector="quick"\}/);
      assert.equal(good.headers['x-frame-options'], 'deny');
      assert.equal(good.headers['strict-transport-security'], 'max-age=31536000');
      for (const auth of [undefined, basic('alice', 'wrong'), basic('mallory', 'wonderland-pass'), 'Bearer x', 'Basic !!!']) {
        const bad = await get(`${url}/metrics`, { ca: pems.ca, ...(auth === undefined ? {} : { auth }) });
        assert.equal(bad.status, 401, String(auth));
        assert.equal(bad.headers['www-authenticate'], 'Basic realm="muster"');
        assert.doesNotMatch(bad.body, /muster_/);
      }
      // The status page and its API are behind the same door.
      assert.equal((await get(`${url}/`, { ca: pems.ca })).status, 401);
      assert.equal((await get(`${url}/api/status`, { ca: pems.ca })).status, 401);
    });

    it('keeps good and bad logins apart under concurrency', async () => {
      const attempts = Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? basic('alice', 'wonderland-pass') : basic(i % 3 === 0 ? 'bob' : 'alice', `guess-${i}`)));
      const answers = await Promise.all(attempts.map((auth) => get(`${url}/healthz`, { ca: pems.ca, auth })));
      answers.forEach((a, i) => {
        // Wrong guesses beyond the bcrypt checks allowed at once are answered 429 without a check.
        if (i % 2 === 0) assert.equal(a.status, 200, `attempt ${i}`);
        else assert.ok(a.status === 401 || a.status === 429, `attempt ${i}: ${a.status}`);
      });
      assert.ok(answers.some((a, i) => i % 2 === 1 && a.status === 401), 'some wrong guesses were checked and refused');
      // The same wrong guess again is refused at once from memory, never let in.
      const again = await get(`${url}/healthz`, { ca: pems.ca, auth: basic('alice', 'guess-1') });
      assert.ok(again.status === 401 || again.status === 429);
    });

    it('refuses TLS 1.2 clients and plain HTTP', async () => {
      await assert.rejects(get(`${url}/healthz`, { ca: pems.ca, maxVersion: 'TLSv1.2', auth: basic('alice', 'wonderland-pass') }));
      await assert.rejects(fetch(`${url.replace('https:', 'http:')}/healthz`).then((r) => r.text()));
    });
  });

  describe('client certificates required and verified', () => {
    let exporter: Exporter;
    let url: string;
    before(async () => {
      ({ exporter, url } = await startSecured(`tls_server_config:
  cert_file: server.crt
  key_file: server.key
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: ca.crt
`));
    });
    after(() => exporter.stop());

    it('admits a certificate from the configured CA only', async () => {
      assert.equal((await get(`${url}/metrics`, { ca: pems.ca, cert: pems.clientCert, key: pems.clientKey })).status, 200);
      await assert.rejects(get(`${url}/metrics`, { ca: pems.ca }), 'no client certificate');
      await assert.rejects(get(`${url}/metrics`, { ca: pems.ca, cert: pems.strangerCert, key: pems.strangerKey }), 'a certificate from another CA');
    });
  });

  it('refuses to start on a bad web config, naming the bad value', async () => {
    const config = writeConfig('plugins: []\n');
    writeFileSync(join(dirname(config), 'web.yml'), 'basic_auth_users:\n  alice: plaintext-password\ntls_server_config:\n  cert_file: missing.crt\n  key_file: missing.key\n');
    const result = await runCli(['start', '--config', config, '--web-config', join(dirname(config), 'web.yml'), '--port', '0']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /basic_auth_users\.alice: expected a bcrypt hash/);
    assert.doesNotMatch(result.stderr, /plaintext-password/);
  });
});
