/** Test certificates of the fault-matrix tests (faults.test.ts), all for 127.0.0.1 but one. */
import { type KeyCert, selfSignedCert, testCa } from '@muster/testing';

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
