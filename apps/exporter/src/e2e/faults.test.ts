import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { type JenkinsSimulator, type SimItem, startJenkinsSimulator } from '@muster/jenkins-simulator';
import { findSamples, type ParsedExposition } from '@muster/testing';
import { type PostgresServer, startPostgres } from '@muster/testing-postgres';
import { writeConfig } from './testing/config-file.js';
import { type Exporter, startExporter } from './testing/exporter-process.js';
import { type CaseFigures, type CaseTiming, type Family, type FaultCase, runCase } from './testing/fault-case.js';
import { makeCerts, type TestCerts } from './testing/fault-certs.js';
import { type HostsFile, hostsFile } from './testing/hosts-file.js';
import { type TestServer, testServer } from './testing/http-backend.js';
import { type Front, startFront } from './testing/tcp-front.js';

/**
 * The fault matrix: each plugin family's backends broken one way at a time, through a real
 * `muster start`. Each case checks that the process stays up, every scrape answers, only the
 * broken instance goes down with its bounded reason, and it recovers at the next cycle after its
 * backend, counted in its own cycles (no wall-clock bound: timing lives in bench/).
 * docs/reliability.md lists every case with its expected reason; a test keeps the two in step.
 * The three families run side by side, each with its own exporter and backends, all on 127.0.0.1.
 * Host names under `.invalid` are answered inside the exporter by test-fixtures/invalid-dns.mjs
 * (this machine's resolver would send them off the machine).
 */
const TIMING: CaseTiming = { intervalMs: 1_000, timeoutMs: 900 };
// Every run counted (selfMetrics: full): the fault kit counts cycles by their runs_total.
const INSTANCE = 'schedule: 1s, timeout: 900ms, selfMetrics: full';
/** Longer than the 810 ms request/ping timeout the 900 ms instance timeout gives. */
const LATE_MS = 1_600;

function note(t: TestContext, f: CaseFigures): void {
  t.diagnostic(
    `down after ${f.downAfterCycles} cycle(s) (${f.downAfterMs.toFixed(0)} ms), recovered after ${f.recoveredAfterCycles} (${f.recoveredAfterMs.toFixed(0)} ms), slowest of ${f.scrapes} scrapes ${f.slowestScrapeMs.toFixed(0)} ms`,
  );
}

const stateOf = (p: ParsedExposition, metric: string, collector: string) =>
  findSamples(p, metric, { collector }).find((s) => s.value === 1)?.labels[metric];

/** For plugins whose failures are results: the cycle must succeed, and the plugin's own state set says why. */
function resultReason(metric: string) {
  return (p: ParsedExposition, collector: string): string | undefined => {
    const up = findSamples(p, 'muster_collector_up', { collector })[0]?.value;
    if (up === undefined) return undefined;
    if (up !== 1) return `cycle failed (${stateOf(p, 'muster_collector_failure_reason', collector)})`;
    return stateOf(p, metric, collector);
  };
}

function cycleReason(p: ParsedExposition, collector: string): string | undefined {
  const up = findSamples(p, 'muster_collector_up', { collector })[0]?.value;
  if (up === undefined) return undefined;
  return up === 1 ? 'none' : stateOf(p, 'muster_collector_failure_reason', collector);
}

function assertNoCrash(exporter: Exporter): void {
  assert.equal(exporter.process.exitCode, null, 'the exporter is still running');
  assert.doesNotMatch(exporter.output(), /uncaught|unhandled/i, 'no uncaught error in the log');
}

describe('fault matrix through muster start', { concurrency: 3, timeout: 600_000 }, () => {
  let certs: TestCerts;
  before(async () => {
    certs = await makeCerts();
  });

  describe('http-health', { concurrency: 1 }, () => {
    let ok: TestServer;
    let victim: TestServer;
    let tlsFront: Front;
    let dnsFront: Front;
    let hosts: HostsFile;
    let exporter: Exporter;
    let family: Family;
    const healthy: TestServer['handler'] = (_req, res) => res.end('{"status":"ok"}');

    before(async () => {
      ok = await testServer(healthy);
      victim = await testServer(healthy);
      tlsFront = await startFront(ok.port, { tls: certs.good });
      dnsFront = await startFront(ok.port);
      hosts = hostsFile(['web.invalid']);
      const config = writeConfig(`defaults: { ${INSTANCE} }
plugins:
  - { name: web-control, use: http-health, config: { url: "${ok.url}/" } }
  - name: web
    use: http-health
    config: { url: "${victim.url}/health", bodyMatch: '"status":\\s*"ok"', maxBodyBytes: 65536 }
  - { name: web-tls, use: http-health, config: { url: "https://127.0.0.1:${tlsFront.port}/", tls: { ca: "\${file:ca.pem}" } } }
  - { name: web-dns, use: http-health, config: { url: "http://web.invalid:${dnsFront.port}/" } }
`);
      writeFileSync(join(dirname(config), 'ca.pem'), certs.ca);
      exporter = await startExporter(config, { env: hosts.env });
      family = {
        exporter,
        instances: ['web-control', 'web', 'web-tls', 'web-dns'],
        reasonOf: resultReason('http_health_failure_reason'),
      };
    });
    after(async () => {
      await exporter?.stop();
      await Promise.all([ok?.stop(), victim?.stop(), tlsFront?.close(), dnsFront?.close()]);
    });

    const onVictim = (reason: string, fault: TestServer['handler']): FaultCase => ({
      victim: 'web',
      reason,
      apply: () => {
        victim.handler = fault;
      },
      heal: () => {
        victim.handler = healthy;
      },
    });
    const withCert = (pick: (c: TestCerts) => { key: string; cert: string }): FaultCase => ({
      victim: 'web-tls',
      reason: 'tls',
      apply: () => tlsFront.useCert(pick(certs)),
      heal: () => tlsFront.useCert(certs.good),
    });

    it('http-health: connection refused', async (t) => {
      note(t, await runCase(family, { victim: 'web', reason: 'connection-refused', apply: () => victim.stop(), heal: () => victim.restart() }, TIMING));
    });
    it('http-health: accepts and never answers', async (t) => {
      note(t, await runCase(family, onVictim('timeout', () => undefined), TIMING));
    });
    it('http-health: answers after the timeout', async (t) => {
      note(t, await runCase(family, onVictim('timeout', (_req, res) => setTimeout(() => res.end('{"status":"ok"}'), LATE_MS)), TIMING));
    });
    it('http-health: answers 503', async (t) => {
      note(t, await runCase(family, onVictim('status-mismatch', (_req, res) => res.writeHead(503).end('unavailable')), TIMING));
    });
    it('http-health: answers 401', async (t) => {
      note(t, await runCase(family, onVictim('status-mismatch', (_req, res) => res.writeHead(401, { 'www-authenticate': 'Basic' }).end()), TIMING));
    });
    it('http-health: answers 403', async (t) => {
      note(t, await runCase(family, onVictim('status-mismatch', (_req, res) => res.writeHead(403).end('forbidden')), TIMING));
    });
    it('http-health: answers an HTML login page instead of the expected JSON', async (t) => {
      const login = '<!DOCTYPE html><html><body><form action="/login"><input name="user"></form></body></html>';
      note(t, await runCase(family, onVictim('body-mismatch', (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(login)), TIMING));
    });
    it('http-health: cuts the body short', async (t) => {
      const fault: TestServer['handler'] = (_req, res) => {
        res.writeHead(200, { 'content-length': '4000', 'content-type': 'application/json' });
        res.write(`{"status":"ok","pad":"${'x'.repeat(1_000)}`, () => res.socket?.destroy());
      };
      note(t, await runCase(family, onVictim('error', fault), TIMING));
    });
    it('http-health: answers a body larger than maxBodyBytes', async (t) => {
      note(t, await runCase(family, onVictim('body-too-large', (_req, res) => res.end(`{"status":"ok","pad":"${'x'.repeat(256 * 1024)}"}`)), TIMING));
    });
    it('http-health: serves a self-signed certificate', async (t) => {
      note(t, await runCase(family, withCert((c) => c.selfSigned), TIMING));
    });
    it('http-health: serves an expired certificate', async (t) => {
      note(t, await runCase(family, withCert((c) => c.expired), TIMING));
    });
    it('http-health: serves a certificate for another host', async (t) => {
      note(t, await runCase(family, withCert((c) => c.wrongHost), TIMING));
    });
    it('http-health: the host name stops resolving', async (t) => {
      const c: FaultCase = { victim: 'web-dns', reason: 'dns', apply: () => hosts.set([]), heal: () => hosts.set(['web.invalid']) };
      note(t, await runCase(family, c, TIMING));
    });
    it('http-health: the exporter survived every fault', () => {
      assertNoCrash(exporter);
    });
  });

  describe('jenkins', { concurrency: 1 }, () => {
    let sim: JenkinsSimulator;
    let control: JenkinsSimulator;
    let front: Front;
    let tlsFront: Front;
    let dnsFront: Front;
    let hosts: HostsFile;
    let exporter: Exporter;
    let family: Family;

    before(async () => {
      const small = { folders: 2, depth: 1, jobsPerFolder: 3, rootJobs: 1, seed: 5 };
      sim = await startJenkinsSimulator({ generate: small });
      control = await startJenkinsSimulator({ generate: small });
      front = await startFront(sim.port);
      tlsFront = await startFront(control.port, { tls: certs.good });
      dnsFront = await startFront(control.port);
      hosts = hostsFile(['jenkins.invalid']);
      const config = writeConfig(`defaults: { ${INSTANCE} }
plugins:
  - { name: ci-control, use: jenkins, config: { url: "${control.url}" } }
  - { name: ci, use: jenkins, config: { url: "http://127.0.0.1:${front.port}/", maxBodyBytes: 65536 } }
  - { name: ci-tls, use: jenkins, config: { url: "https://127.0.0.1:${tlsFront.port}/", tls: { ca: "\${file:ca.pem}" } } }
  - { name: ci-dns, use: jenkins, config: { url: "http://jenkins.invalid:${dnsFront.port}/" } }
`);
      writeFileSync(join(dirname(config), 'ca.pem'), certs.ca);
      exporter = await startExporter(config, { env: hosts.env });
      family = { exporter, instances: ['ci-control', 'ci', 'ci-tls', 'ci-dns'], reasonOf: cycleReason };
    });
    after(async () => {
      await exporter?.stop();
      await Promise.all([front?.close(), tlsFront?.close(), dnsFront?.close()]);
      await Promise.all([sim?.close(), control?.close()]);
    });

    const simFault = (reason: string, faults: JenkinsSimulator['faults']): FaultCase => ({
      victim: 'ci',
      reason,
      apply: () => {
        sim.faults = faults;
      },
      heal: () => {
        sim.faults = {};
      },
    });
    const withCert = (pick: (c: TestCerts) => { key: string; cert: string }): FaultCase => ({
      victim: 'ci-tls',
      reason: 'tls',
      apply: () => tlsFront.useCert(pick(certs)),
      heal: () => tlsFront.useCert(certs.good),
    });

    it('jenkins: connection refused', async (t) => {
      note(t, await runCase(family, { victim: 'ci', reason: 'connection-refused', apply: () => front.set('refuse'), heal: () => front.set('forward') }, TIMING));
    });
    it('jenkins: accepts and never answers', async (t) => {
      note(t, await runCase(family, simFault('timeout', { hang: true }), TIMING));
    });
    it('jenkins: answers after the timeout', async (t) => {
      note(t, await runCase(family, simFault('timeout', { latencyMs: LATE_MS }), TIMING));
    });
    it('jenkins: answers 503', async (t) => {
      note(t, await runCase(family, simFault('backend-error', { status: 503 }), TIMING));
    });
    it('jenkins: answers 401', async (t) => {
      note(t, await runCase(family, simFault('auth', { status: 401 }), TIMING));
    });
    it('jenkins: answers 403', async (t) => {
      note(t, await runCase(family, simFault('auth', { status: 403 }), TIMING));
    });
    it('jenkins: answers its HTML login page instead of JSON', async (t) => {
      note(t, await runCase(family, simFault('bad-response', { htmlLogin: true }), TIMING));
    });
    it('jenkins: answers malformed JSON', async (t) => {
      note(t, await runCase(family, simFault('bad-response', { malformedJson: true }), TIMING));
    });
    it('jenkins: cuts the answer short', async (t) => {
      note(t, await runCase(family, simFault('error', { truncate: true }), TIMING));
    });
    it('jenkins: answers more than maxBodyBytes', async (t) => {
      const bulk: SimItem = {
        name: 'bulk',
        kind: 'folder',
        children: Array.from({ length: 1_000 }, (_, i) => ({ name: `a-job-with-a-rather-long-name-${String(i).padStart(4, '0')}`, kind: 'freestyle' as const })),
      };
      const c: FaultCase = { victim: 'ci', reason: 'bad-response', apply: () => sim.addJob('', bulk), heal: () => sim.deleteJob('bulk') };
      note(t, await runCase(family, c, TIMING));
    });
    it('jenkins: serves a self-signed certificate', async (t) => {
      note(t, await runCase(family, withCert((c) => c.selfSigned), TIMING));
    });
    it('jenkins: serves an expired certificate', async (t) => {
      note(t, await runCase(family, withCert((c) => c.expired), TIMING));
    });
    it('jenkins: serves a certificate for another host', async (t) => {
      note(t, await runCase(family, withCert((c) => c.wrongHost), TIMING));
    });
    it('jenkins: the host name stops resolving', async (t) => {
      // A kept-alive connection would outlive the name: cut it, as a DNS change followed by a reconnect would.
      const c: FaultCase = {
        victim: 'ci-dns',
        reason: 'dns',
        apply: () => {
          hosts.set([]);
          dnsFront.drop();
        },
        heal: () => hosts.set(['jenkins.invalid']),
      };
      note(t, await runCase(family, c, TIMING));
    });
    it('jenkins: the exporter survived every fault', () => {
      assertNoCrash(exporter);
    });
  });

  describe('postgres', { concurrency: 1 }, () => {
    let server: PostgresServer;
    let front: Front;
    let dnsFront: Front;
    let hosts: HostsFile;
    let exporter: Exporter;
    let family: Family;
    const password = `Pg-${randomBytes(9).toString('hex')}`;

    before(async () => {
      server = await startPostgres();
      await server.query(`CREATE ROLE muster_ping LOGIN PASSWORD '${password}'`);
      front = await startFront(server.port, { slowMs: LATE_MS });
      dnsFront = await startFront(server.port);
      hosts = hostsFile(['db.invalid']);
      const db = (name: string, host: string, port: number) =>
        `  - { name: ${name}, use: postgres, config: { host: ${host}, port: ${port}, database: postgres, user: muster_ping, password: "\${file:pg-password}" } }\n`;
      const config = writeConfig(
        `defaults: { ${INSTANCE} }\nplugins:\n${db('db-control', '127.0.0.1', server.port)}${db('db', '127.0.0.1', front.port)}${db('db-dns', 'db.invalid', dnsFront.port)}`,
      );
      writeFileSync(join(dirname(config), 'pg-password'), `${password}\n`);
      exporter = await startExporter(config, { env: hosts.env });
      family = { exporter, instances: ['db-control', 'db', 'db-dns'], reasonOf: resultReason('pg_failure_reason') };
    });
    after(async () => {
      await exporter?.stop();
      await Promise.all([front?.close(), dnsFront?.close()]);
      await server?.close();
    });

    const viaFront = (reason: string, mode: Front['mode']): FaultCase => ({
      victim: 'db',
      reason,
      apply: () => front.set(mode),
      heal: () => front.set('forward'),
    });

    it('postgres: connection refused', async (t) => {
      note(t, await runCase(family, viaFront('connection-refused', 'refuse'), TIMING));
    });
    it('postgres: accepts and never answers', async (t) => {
      note(t, await runCase(family, viaFront('timeout', 'hang'), TIMING));
    });
    it('postgres: answers after the timeout', async (t) => {
      note(t, await runCase(family, viaFront('timeout', 'slow'), TIMING));
    });
    it('postgres: the connection is cut mid-answer', async (t) => {
      note(t, await runCase(family, viaFront('error', 'cut'), TIMING));
    });
    it('postgres: something else answers on the port (an HTTP 502 page)', async (t) => {
      note(t, await runCase(family, viaFront('error', 'garbage'), TIMING));
    });
    it('postgres: the host name stops resolving', async (t) => {
      const c: FaultCase = {
        victim: 'db-dns',
        reason: 'dns',
        apply: () => {
          hosts.set([]);
          dnsFront.drop();
        },
        heal: () => hosts.set(['db.invalid']),
      };
      note(t, await runCase(family, c, TIMING));
    });
    it('postgres: the exporter survived every fault', () => {
      assertNoCrash(exporter);
    });
  });
});
