import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The certificates the exporter-toolkit's tests use, made fresh by `openssl` in a temporary
 * folder (file names as the toolkit's `web/testdata` has them):
 *
 * - `tls-ca-chain.pem`: a certificate authority (RSA) the clients trust;
 * - `server.crt` / `server.key`: an RSA server certificate for localhost and 127.0.0.1 from it
 *   (RSA, so the `TLS_ECDHE_RSA_*` suites of the toolkit's cases can be negotiated);
 * - `client_selfsigned.pem/.key`: a self-signed client certificate (CN test, EC P-384);
 * - `client2_selfsigned.pem/.key`: the same with the SAN `DNS:test3` (CN test3).
 */
export interface FixtureCerts {
  readonly dir: string;
  /** The PEM text of a file in {@link dir}. */
  read(name: string): string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Makes the certificates; about a second of `openssl`. */
export function makeFixtureCerts(): FixtureCerts {
  const dir = mkdtempSync(join(tmpdir(), 'muster-webconf-'));
  const day = ['-days', '2'];
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'tls-ca-chain.pem', ...day, '-subj', '/O=muster tests/CN=muster test TLS CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  writeFileSync(join(dir, 'server.ext'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/O=muster tests/CN=localhost']);
  openssl(dir, ['x509', '-req', '-in', 'server.csr', '-CA', 'tls-ca-chain.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', ...day, '-extfile', 'server.ext']);
  for (const [name, cn, san] of [['client_selfsigned', 'test', undefined], ['client2_selfsigned', 'test3', 'DNS:test3']] as const) {
    openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, ...day, '-subj', `/CN=${cn}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'extendedKeyUsage=clientAuth', ...(san === undefined ? [] : ['-addext', `subjectAltName=${san}`])]);
  }
  return { dir, read: (name) => readFileSync(join(dir, name), 'utf8') };
}
