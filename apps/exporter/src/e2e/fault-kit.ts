/**
 * Tools of the fault-matrix tests (faults.test.ts): a TCP or TLS front that forwards to a local
 * backend or misbehaves on demand, test certificates (good, self-signed, expired, for another
 * host), a hosts file for names under `.invalid`, and the loop that runs one fault case against a
 * running `muster start`. Everything listens on 127.0.0.1 only.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect, createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { pathToFileURL } from 'node:url';
import { findSamples, type KeyCert, type ParsedExposition, parseExposition, selfSignedCert, testCa } from '@muster/testing';
import { type Exporter, FIXTURES, sleep } from './support.js';

/** A test CA and server certificates for 127.0.0.1: one good, and one for each TLS failure. */
export interface TestCerts {
  /** The CA the clients are told to trust (`tls.ca`). */
  readonly ca: string;
  /** Signed by the CA, for IP 127.0.0.1, valid now. */
  readonly good: KeyCert;
  /** Self-signed (by no trusted CA), for 127.0.0.1. */
  readonly selfSigned: KeyCert;
  /** Signed by the CA, for 127.0.0.1, expired yesterday. */
  readonly expired: KeyCert;
  /** Signed by the CA, valid now, for the name `elsewhere.example` only. */
  readonly wrongHost: KeyCert;
}

export async function makeCerts(): Promise<TestCerts> {
  const ca = await testCa('muster fault-test CA');
  const loopback = { hosts: ['127.0.0.1'] };
  const [good, selfSigned, expired, wrongHost] = await Promise.all([
    ca.issue(loopback),
    selfSignedCert(loopback),
    ca.issue({ ...loopback, notBefore: new Date(Date.now() - 3 * 24 * 3600_000), notAfter: new Date(Date.now() - 24 * 3600_000) }),
    ca.issue({ hosts: ['elsewhere.example'] }),
  ]);
  return { ca: ca.cert, good, selfSigned, expired, wrongHost };
}

/**
 * What a front does with connections:
 * - `forward`: pass bytes both ways to the backend;
 * - `refuse`: nothing listens (connection refused);
 * - `hang`: accept (and finish the TLS handshake) and never answer;
 * - `slow`: accept and forward only after `slowMs` (an answer after the client's timeout);
 * - `cut`: forward the request, pass on half of the backend's first answer, then cut both sides;
 * - `garbage`: answer as an HTTP proxy would (`HTTP/1.1 502` and an HTML page), then close.
 */
export type FrontMode = 'forward' | 'refuse' | 'hang' | 'slow' | 'cut' | 'garbage';

/** A TCP (or TLS-terminating) front on 127.0.0.1 before a local backend port. */
export interface Front {
  readonly port: number;
  readonly mode: FrontMode;
  /** Switches mode; open connections are cut, as a restart of the backend would. */
  set(mode: FrontMode): Promise<void>;
  /** TLS fronts: serve `cert` to new connections (open ones are cut). */
  useCert(cert: KeyCert): void;
  /** Cuts every open connection (pooled and kept-alive ones included). */
  drop(): void;
  close(): Promise<void>;
}

const GARBAGE =
  'HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/html\r\ncontent-length: 50\r\nconnection: close\r\n\r\n<html><body><h1>502 Bad Gateway</h1></body></html>';

export async function startFront(targetPort: number, options: { tls?: KeyCert; slowMs?: number } = {}): Promise<Front> {
  const slowMs = options.slowMs ?? 2_000;
  const open = new Set<Socket>();
  let mode: FrontMode = 'forward';

  const track = (s: Socket) => {
    open.add(s);
    s.on('close', () => open.delete(s));
    s.on('error', () => undefined);
  };
  const pipeBoth = (client: Socket) => {
    if (client.destroyed) return;
    const upstream = connect(targetPort, '127.0.0.1');
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.resume();
  };
  const onConnection = (client: Socket) => {
    track(client);
    const now = mode;
    if (now === 'hang') {
      client.resume();
    } else if (now === 'garbage') {
      client.end(GARBAGE);
    } else if (now === 'slow') {
      client.pause();
      setTimeout(() => pipeBoth(client), slowMs).unref();
    } else if (now === 'cut') {
      const upstream = connect(targetPort, '127.0.0.1');
      track(upstream);
      client.pipe(upstream);
      upstream.once('data', (chunk: Buffer) => {
        client.write(chunk.subarray(0, Math.max(1, chunk.length >> 1)), () => {
          client.destroy();
          upstream.destroy();
        });
      });
    } else {
      pipeBoth(client);
    }
  };

  const server: Server | TlsServer =
    options.tls === undefined
      ? createTcpServer(onConnection)
      : createTlsServer({ key: options.tls.key, cert: options.tls.cert }, (socket) => onConnection(socket));
  // A failed handshake (the client refused our certificate) is the point of some tests.
  server.on('tlsClientError', () => undefined);
  server.on('connection', (raw: Socket) => track(raw));

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as { port: number }).port);
      });
    });
  const port = await listen(0);
  let listening = true;

  const drop = () => {
    for (const s of open) s.destroy();
    open.clear();
  };
  return {
    port,
    get mode() {
      return mode;
    },
    async set(next) {
      mode = next;
      drop();
      if (next === 'refuse' && listening) {
        listening = false;
        await new Promise((resolve) => server.close(resolve));
      } else if (next !== 'refuse' && !listening) {
        await listen(port);
        listening = true;
      }
    },
    useCert(cert) {
      assert.ok('setSecureContext' in server, 'useCert needs a TLS front');
      server.setSecureContext({ key: cert.key, cert: cert.cert });
      drop();
    },
    drop,
    async close() {
      drop();
      if (listening) {
        listening = false;
        await new Promise((resolve) => server.close(resolve));
      }
    },
  };
}

/** A hosts file for the `invalid-dns.mjs` preload: names listed resolve to 127.0.0.1, others fail with ENOTFOUND. */
export interface HostsFile {
  readonly path: string;
  /** What `startExporter` needs in `env` to load the preload and read this file. */
  readonly env: Record<string, string>;
  set(names: readonly string[]): void;
}

export function hostsFile(names: readonly string[] = []): HostsFile {
  const path = join(mkdtempSync(join(tmpdir(), 'muster-hosts-')), 'hosts');
  const set = (list: readonly string[]) => writeFileSync(path, list.map((n) => `${n}\n`).join(''));
  set(names);
  const preload = pathToFileURL(join(FIXTURES, 'invalid-dns.mjs')).href;
  return {
    path,
    env: { MUSTER_TEST_HOSTS_FILE: path, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${preload}`.trim() },
    set,
  };
}

/** An exporter with its instances, and how its plugin family says an instance is healthy or why not. */
export interface Family {
  readonly exporter: Exporter;
  readonly instances: readonly string[];
  /**
   * `none` when the instance is healthy; else its bounded reason as this family reports it (the
   * plugin's own reason for http-health and postgres, whose failures are results; muster's
   * `muster_collector_failure_reason` for jenkins); `undefined` when it has no result yet.
   */
  reasonOf(parsed: ParsedExposition, instance: string): string | undefined;
}

/** One fault case: break one instance's backend, and mend it. */
export interface FaultCase {
  readonly victim: string;
  readonly reason: string;
  apply(): unknown;
  heal(): unknown;
}

/** Timing of the instances under test. */
export interface CaseTiming {
  /** The instances' schedule interval. */
  readonly intervalMs: number;
  /** The instances' timeout. */
  readonly timeoutMs: number;
}

/** What one case measured, for the test's diagnostics (never judged: timing lives in bench/). */
export interface CaseFigures {
  downAfterMs: number;
  recoveredAfterMs: number;
  /** Cycles of the victim that ended between the fault and its reason showing, and between the mending and its recovery. */
  downAfterCycles: number;
  recoveredAfterCycles: number;
  slowestScrapeMs: number;
  scrapes: number;
}

/** Cycles of `collector` that ran to an end (success or failure), from its `muster_collector_runs_total`. */
export function cyclesEnded(p: ParsedExposition, collector: string): number {
  return ['success', 'failure'].reduce((sum, result) => sum + (findSamples(p, 'muster_collector_runs_total', { collector, result })[0]?.value ?? 0), 0);
}

/** A hang guard for the waits below: far longer than any cycle; reaching it means something is stuck, not slow. */
const HANG_GUARD_MS = 60_000;

/**
 * Runs `c` against `family`: waits until every instance is healthy, applies the fault, then
 * scrapes every 100 ms. Every scrape must answer 200 and the process must stay up. Counted in the
 * victim's own cycles, not in wall-clock time (a loaded machine runs fewer of them, not worse
 * ones): the victim must show `c.reason` by the end of the second cycle that ends after the fault,
 * every other instance staying healthy; after `c.heal()` it must be healthy by the end of the
 * second cycle that ends after the mending (the first may have started before it).
 */
export async function runCase(family: Family, c: FaultCase, timing: CaseTiming): Promise<CaseFigures> {
  const { exporter } = family;
  const figures: CaseFigures = {
    downAfterMs: Number.NaN,
    recoveredAfterMs: Number.NaN,
    downAfterCycles: Number.NaN,
    recoveredAfterCycles: Number.NaN,
    slowestScrapeMs: 0,
    scrapes: 0,
  };
  const scrape = async (): Promise<ParsedExposition> => {
    assert.equal(exporter.process.exitCode, null, `the exporter exited:\n${exporter.output().slice(-3000)}`);
    assert.equal(exporter.process.signalCode, null, 'the exporter was killed');
    const { status, body, ms } = await exporter.scrape();
    assert.equal(status, 200);
    figures.slowestScrapeMs = Math.max(figures.slowestScrapeMs, ms);
    figures.scrapes++;
    return parseExposition(body);
  };
  const reasons = (p: ParsedExposition) => Object.fromEntries(family.instances.map((i) => [i, family.reasonOf(p, i)]));
  const others = family.instances.filter((i) => i !== c.victim);
  // Another instance may miss its own deadline when the machine is starved of CPU (its reason is
  // then `timeout`); any other failure of it is the victim's fault leaking, and fails the case.
  const expectOthersHealthy = (p: ParsedExposition, when: string) => {
    const bad = others.filter((i) => !['none', 'timeout'].includes(family.reasonOf(p, i) ?? 'none'));
    assert.deepEqual(bad, [], `${when}: other instances are not healthy: ${JSON.stringify(reasons(p))}`);
  };

  // Every instance healthy before the fault.
  const baselineUntil = Date.now() + 3 * timing.intervalMs + HANG_GUARD_MS;
  for (;;) {
    const p = await scrape();
    if (family.instances.every((i) => family.reasonOf(p, i) === 'none')) break;
    assert.ok(Date.now() < baselineUntil, `not every instance is healthy before the fault: ${JSON.stringify(reasons(p))}`);
    await sleep(100);
  }

  const atFault = cyclesEnded(await scrape(), c.victim);
  await c.apply();
  try {
    await watchFault();
  } finally {
    // Healed whatever happened, so that one failed case does not leave its fault on for the next.
    await c.heal();
  }
  figures.recoveredAfterMs = await watchRecovery();
  return figures;

  async function watchFault(): Promise<void> {
    const applied = performance.now();
    let last: string | undefined;
    for (;;) {
      const p = await scrape();
      last = family.reasonOf(p, c.victim);
      expectOthersHealthy(p, 'while the fault is on');
      const cycles = cyclesEnded(p, c.victim) - atFault;
      if (last === c.reason) {
        figures.downAfterCycles = cycles;
        break;
      }
      // The cycle running when the fault came may end healthy; the next one must show the fault.
      assert.ok(cycles < 2, `${c.victim}: expected reason ${c.reason} by the second cycle after the fault, ${cycles} ended; last seen ${last}`);
      assert.ok(performance.now() - applied < HANG_GUARD_MS, `${c.victim}: no cycle of it ended for ${HANG_GUARD_MS} ms`);
      await sleep(100);
    }
    figures.downAfterMs = performance.now() - applied;
    // It stays down with the same reason while the others stay up, over a few more scrapes.
    for (let i = 0; i < 3; i++) {
      await sleep(150);
      const p = await scrape();
      assert.equal(family.reasonOf(p, c.victim), c.reason, `${c.victim} keeps its reason while the fault lasts`);
      expectOthersHealthy(p, 'while the fault is on');
    }
  }

  async function watchRecovery(): Promise<number> {
    const atHeal = cyclesEnded(await scrape(), c.victim);
    const healed = performance.now();
    let last: string | undefined;
    for (;;) {
      const p = await scrape();
      last = family.reasonOf(p, c.victim);
      const cycles = cyclesEnded(p, c.victim) - atHeal;
      if (last === 'none') {
        expectOthersHealthy(p, 'after the recovery');
        figures.recoveredAfterCycles = cycles;
        break;
      }
      assert.ok(cycles < 2, `${c.victim}: not healthy by the second cycle after its backend's recovery, ${cycles} ended; last seen ${last}`);
      assert.ok(performance.now() - healed < HANG_GUARD_MS, `${c.victim}: no cycle of it ended for ${HANG_GUARD_MS} ms`);
      await sleep(50);
    }
    return performance.now() - healed;
  }
}
