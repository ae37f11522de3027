import { isIP } from 'node:net';
import { generate } from 'selfsigned';

/** A PEM private key and certificate. */
export interface KeyCert {
  readonly key: string;
  readonly cert: string;
}

/** Options of a certificate: the names it is for, what it is for, and when it is valid. */
export interface CertOptions {
  /** DNS names and IP addresses; default `localhost` and `127.0.0.1`. */
  readonly hosts?: readonly string[];
  /** `server` (default) or `client` authentication. */
  readonly usage?: 'server' | 'client';
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

/** A throwaway certificate authority for tests: issue server and client certificates with it. */
export interface TestCa extends KeyCert {
  issue(options?: CertOptions): Promise<KeyCert>;
}

const DAY = 24 * 3600_000;
const BASE = { keyType: 'ec' as const, curve: 'P-256' as const, algorithm: 'sha256' };

function window(options: CertOptions) {
  const now = Date.now();
  return { notBeforeDate: options.notBefore ?? new Date(now - 60_000), notAfterDate: options.notAfter ?? new Date(now + DAY) };
}

function altNames(hosts: readonly string[]) {
  return hosts.map((h) => (isIP(h) === 0 ? { type: 2 as const, value: h } : { type: 7 as const, ip: h }));
}

function leafExtensions(options: CertOptions) {
  const hosts = options.hosts ?? ['localhost', '127.0.0.1'];
  const usage = options.usage ?? 'server';
  return [
    { name: 'basicConstraints' as const, cA: false },
    { name: 'keyUsage' as const, digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage' as const, serverAuth: usage === 'server', clientAuth: usage === 'client' },
    ...(usage === 'server' ? [{ name: 'subjectAltName' as const, altNames: altNames(hosts) }] : []),
  ];
}

/** A certificate authority (EC P-256, SHA-256, valid one day) whose certificates tests can trust. */
export async function testCa(commonName = 'muster test CA'): Promise<TestCa> {
  const ca = await generate([{ name: 'commonName', value: commonName }], {
    ...BASE,
    ...window({}),
    extensions: [{ name: 'basicConstraints', cA: true }, { name: 'keyUsage', keyCertSign: true, digitalSignature: true }],
  });
  return {
    key: ca.private,
    cert: ca.cert,
    async issue(options = {}) {
      const first = options.hosts?.[0] ?? (options.usage === 'client' ? 'client' : 'localhost');
      const pems = await generate([{ name: 'commonName', value: first }], {
        ...BASE,
        ...window(options),
        ca: { key: ca.private, cert: ca.cert },
        extensions: leafExtensions(options),
      });
      return { key: pems.private, cert: pems.cert };
    },
  };
}

/** A self-signed server certificate (its own CA) for `hosts` (default `localhost` and 127.0.0.1). */
export async function selfSignedCert(options: CertOptions = {}): Promise<KeyCert> {
  const hosts = options.hosts ?? ['localhost', '127.0.0.1'];
  const pems = await generate([{ name: 'commonName', value: hosts[0] ?? 'localhost' }], {
    ...BASE,
    ...window(options),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: altNames(hosts) },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
