import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { toolSkip } from '@muster/testing';
import { runCli } from '../../e2e/testing/run-cli.js';
import { TLS12_CIPHERS } from '../go-tls.js';
import { curl, run, sClient } from './clients.js';
import { type FixtureCerts, makeFixtureCerts } from './fixture-certs.js';
import { type Launched, launch } from './launch.js';
import { writeToolkitFile } from './render.js';
import { type ClientSpec, type Expectation, IS_ENABLED_CASES, TOOLKIT_CASES, TOOLKIT_SCENARIOS, type ToolkitCase } from './toolkit-cases.js';
import { TOOLKIT_FILES } from './toolkit-files.js';

const skip = toolSkip('openssl') || toolSkip('curl');
const basic = (user: string, password: string) => ['-u', `${user}:${password}`];

/** Asserts what a served case expects, with both clients. */
async function checkServed(port: number, certs: string, client: ClientSpec, expect: Expectation): Promise<void> {
  const viaCurl = await curl(port, certs, client);
  const viaOpenssl = client.tls ? await sClient(port, certs, client) : undefined;
  const seen = `curl:\n${viaCurl.out}\ns_client:\n${viaOpenssl?.out ?? '(plain HTTP: not used)'}`;
  if ('ok' in expect) {
    assert.deepEqual(viaCurl.statuses, Array.from({ length: client.requests ?? 1 }, () => 200), seen);
    assert.equal(viaCurl.body, 'ok\n', seen);
    if (viaOpenssl !== undefined) {
      assert.equal(viaOpenssl.status, 200, seen);
      if (expect.cipher !== undefined) assert.equal(viaOpenssl.cipher, TLS12_CIPHERS[expect.cipher], seen);
    }
  } else if ('status' in expect) {
    if (expect.atLeastOnce === true) assert.ok(viaCurl.statuses.includes(expect.status), seen);
    else assert.ok(viaCurl.statuses.length > 0 && viaCurl.statuses.every((s) => s === expect.status), seen);
    if (viaOpenssl !== undefined) assert.equal(viaOpenssl.status, expect.status, seen);
  } else if ('fails' in expect) {
    assert.ok(!viaCurl.statuses.includes(200), `no request may succeed\n${seen}`);
    assert.notEqual(viaCurl.code, 0, seen);
    switch (expect.fails) {
      case 'HTTP Response to HTTPS':
        assert.equal(viaOpenssl?.cipher, undefined, seen);
        assert.match(viaCurl.out, /wrong version number|packet length too long|record layer failure/i, seen);
        break;
      case 'HTTP Request to HTTPS server':
        assert.match(viaCurl.out, /Empty reply from server|Connection reset|Recv failure/i, seen);
        break;
      case 'Incompatible TLS version':
        assert.equal(viaOpenssl?.cipher, undefined, seen);
        assert.match(`${viaOpenssl?.out}\n${viaCurl.out}`, /alert protocol version|unsupported protocol/i, seen);
        break;
      case 'Handshake failure':
        assert.equal(viaOpenssl?.cipher, undefined, seen);
        assert.match(`${viaOpenssl?.out}\n${viaCurl.out}`, /alert handshake failure/i, seen);
        break;
      case 'Invalid client cert':
        assert.equal(viaOpenssl?.status, undefined, seen);
        break;
    }
  } else {
    assert.fail(`not a served expectation: ${JSON.stringify(expect)}`);
  }
}

function checkRefused(output: string, expect: Expectation): void {
  assert.ok('refused' in expect);
  assert.match(output, expect.problem, output);
  assert.match(output, /MUSTER_ERR_WEB_CONFIG_(READ|PARSE|INVALID)/, output);
  if (expect.key !== '') assert.ok(output.includes(`${expect.key}:`), `the message names ${expect.key}:\n${output}`);
}

describe('exporter-toolkit web config conformance (openssl s_client and curl against muster)', { skip }, () => {
  let certs: FixtureCerts;
  const agree: string[] = [];
  const disagree: string[] = [];
  let total = 0;
  /** Runs one toolkit case as a test and counts whether muster agreed with the toolkit. */
  const toolkitCase = (name: string, body: () => Promise<void>) => {
    total++;
    it(name, async () => {
      try {
        await body();
        agree.push(name);
      } catch (err) {
        disagree.push(name);
        throw err;
      }
    });
  };

  before(() => {
    certs = makeFixtureCerts();
  });
  after(() => {
    const line = `web config conformance: ${agree.length} of ${total} exporter-toolkit cases agree`;
    process.stdout.write(`${line}\n${disagree.map((d) => `  disagrees: ${d}\n`).join('')}`);
  });

  // Served cases, one muster per file (the clients of all its cases in turn).
  const served = new Map<string | null, ToolkitCase[]>();
  for (const c of TOOLKIT_CASES.filter((c) => c.mode === 'start')) served.set(c.file, [...(served.get(c.file) ?? []), c]);
  for (const [file, cases] of served) {
    describe(`muster start --web-config ${file ?? '(none)'}`, () => {
      let server: Launched;
      before(async () => {
        server = await launch(certs.dir, file === null ? null : writeToolkitFile(certs, file));
      });
      after(async () => {
        await server.exporter.stop();
      });
      for (const c of cases) {
        toolkitCase(c.test, async () => {
          if ('refused' in c.expect) {
            assert.equal(server.listening, false, `muster must refuse to start:\n${server.output()}`);
            assert.equal(server.exitCode, 1);
            checkRefused(server.output(), c.expect);
            return;
          }
          assert.ok(server.listening, server.output());
          await checkServed(server.port, certs.dir, c.client ?? { tls: false }, c.expect);
        });
      }
    });
  }

  // Independent runs of `muster validate`, a few at a time.
  describe('muster validate --web-config', { concurrency: 3 }, () => {
    // One muster config for every case, written before any runs: a case rewriting a file another
    // case's `muster validate` is reading would hand it an empty file.
    let config: string;
    before(() => {
      config = join(certs.dir, 'validate-muster.yaml');
      writeFileSync(config, 'plugins: []\n');
    });
    for (const [i, c] of TOOLKIT_CASES.filter((c) => c.mode === 'validate').entries()) {
      toolkitCase(c.test, async () => {
        // Each case its own web config file, for the same reason.
        const web = c.file === null ? writeToolkitFile(certs, 'somefile') : writeToolkitFile(certs, c.file, `validate-${i}-${c.file}`);
        const result = await runCli(['validate', '--config', config, '--web-config', web]);
        if ('valid' in c.expect) {
          assert.equal(result.code, 0, result.stderr);
          assert.match(result.stdout, /valid web config/);
        } else {
          assert.equal(result.code, 1, result.stdout);
          checkRefused(result.stderr, c.expect);
        }
      });
    }
  });

  describe('scenarios', () => {
    toolkitCase(TOOLKIT_SCENARIOS.reload.test, async () => {
      const [blocking, good] = TOOLKIT_SCENARIOS.reload.files;
      const web = writeToolkitFile(certs, blocking, 'reloading.yml');
      const server = await launch(certs.dir, web);
      try {
        assert.ok(server.listening, server.output());
        const before = await sClient(server.port, certs.dir, { tls: true });
        assert.equal(before.status, undefined, `no client certificate: refused\n${before.out}`);
        writeToolkitFile(certs, good, 'reloading.yml');
        // The next new connection reads the changed file: no restart, no waiting.
        const afterChange = await sClient(server.port, certs.dir, { tls: true });
        assert.equal(afterChange.status, 200, afterChange.out);
        const viaCurl = await curl(server.port, certs.dir, { tls: true });
        assert.deepEqual(viaCurl.statuses, [200], viaCurl.out);
      } finally {
        await server.exporter.stop();
      }
    });

    describe('basic auth', () => {
      let server: Launched;
      before(async () => {
        server = await launch(certs.dir, writeToolkitFile(certs, TOOLKIT_SCENARIOS.authCache.file));
      });
      after(async () => {
        await server.exporter.stop();
      });
      const url = () => `http://127.0.0.1:${server.port}/healthz`;
      const statuses = async (args: string[], times: number) => {
        const urls = Array.from({ length: times }, url);
        const result = await run('curl', ['-s', '--no-progress-meter', '-o', '/dev/null', '-w', '<status %{http_code}>\n', '--parallel', '--parallel-max', '150', ...args, ...urls]);
        return [...result.out.matchAll(/<status (\d{3})>/g)].map((m) => Number(m[1]));
      };

      toolkitCase(TOOLKIT_SCENARIOS.authCache.test, async () => {
        assert.deepEqual(await statuses(basic('alice', 'alice123'), 1), [200]);
        assert.deepEqual(await statuses(basic('alice', 'alice1234'), 1), [401]);
        const [good, bad] = await Promise.all([statuses(basic('alice', 'alice123'), 150), statuses(basic('alice', 'alice1234'), 150)]);
        assert.deepEqual(good, Array.from({ length: 150 }, () => 200));
        assert.deepEqual(bad, Array.from({ length: 150 }, () => 401));
      });

      toolkitCase(TOOLKIT_SCENARIOS.fakePassword.test, async () => {
        assert.deepEqual(await statuses(basic('fakeuser', 'fakepassword'), 1), [401], 'cold');
        assert.deepEqual(await statuses(basic('fakeuser', 'fakepassword'), 1), [401], 'cached');
      });

      toolkitCase(TOOLKIT_SCENARIOS.bypass.test, async () => {
        assert.deepEqual(await statuses(basic('alice$2y$12$1DpfPeqF9HzHJt.EWswy1exHluGfbhnn3yXhR7Xes6m3WJqFg0Wby', 'fakepassword'), 1), [401]);
        assert.deepEqual(await statuses(basic('alice', '$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSifakepassword'), 1), [401]);
      });
    });

    toolkitCase(TOOLKIT_SCENARIOS.headers.test, async () => {
      const server = await launch(certs.dir, writeToolkitFile(certs, TOOLKIT_SCENARIOS.headers.file));
      try {
        const answer = await curl(server.port, certs.dir, { tls: false });
        const header = (name: string) => new RegExp(`^${name}: (.*)\\r?$`, 'im').exec(answer.headers)?.[1];
        assert.equal(header('Strict-Transport-Security'), 'max-age=31536000; includeSubDomains');
        assert.equal(header('X-Frame-Options'), 'deny');
        assert.equal(header('X-Content-Type-Options'), 'nosniff');
        assert.equal(header('X-XSS-Protection'), '1');
        assert.equal(header('Content-Security-Policy'), "default-src 'self' *.test.example.net");
        assert.match(header('Content-Type') ?? '', /^text\/plain/, 'the server keeps its own content type');
      } finally {
        await server.exporter.stop();
      }
    });
  });

  describe('TestTLSConfigIsEnabled', () => {
    IS_ENABLED_CASES.forEach((c, i) => {
      toolkitCase(c.test, async () => {
        const server = await launch(certs.dir, writeToolkitFile(certs, c.file, `is-enabled-${i}.yml`));
        try {
          if (!c.enabled) {
            assert.ok(server.listening, server.output());
            assert.deepEqual((await curl(server.port, certs.dir, { tls: false })).statuses, [200], 'plain HTTP');
          } else if (server.listening) {
            assert.equal((await sClient(server.port, certs.dir, { tls: true })).status, 200, 'TLS');
          } else {
            // TLS is on, so the missing certificate is an error.
            assert.match(server.output(), /tls_server_config\.cert_file: missing one of cert or cert_file/);
          }
        } finally {
          await server.exporter.stop();
        }
      });
    });
  });

  it('has a case for every file of the toolkit it names', () => {
    const used = new Set<string>([
      ...TOOLKIT_CASES.map((c) => c.file ?? ''),
      ...Object.values(TOOLKIT_SCENARIOS).flatMap((s) => ('files' in s ? s.files : [s.file])),
    ]);
    // Two files of the toolkit's testdata no toolkit test reads: the key-inline one (its test
    // reads the file-based one) and clientCAs_missing.
    const unread = Object.keys(TOOLKIT_FILES).filter((f) => !used.has(f));
    assert.deepEqual(unread.sort(), ['tls_config_noAuth.requireanyclientcertkeyinline.good.yml', 'web_config_auth_clientCAs_missing.bad.yml']);
  });
});
