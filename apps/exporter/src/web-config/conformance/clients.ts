import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CURVES, TLS12_CIPHERS } from '../go-tls.js';
import type { ClientSpec } from './toolkit-cases.js';

/** What a client process printed and how it ended. */
export interface ClientRun {
  readonly code: number | null;
  readonly out: string;
}

/** Runs a client with a deadline far above what it needs; input goes to its stdin. */
export function run(command: string, args: readonly string[], input = ''): Promise<ClientRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
    // A client that exits early (a refused handshake) closes its stdin: not an error here.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

const openssl = (names: readonly string[]) => names.map((n) => TLS12_CIPHERS[n] ?? n).join(':');
const groups = (names: readonly string[]) => names.map((n) => CURVES[n] ?? n).join(':');
/** TLS 1.0/1.1 need OpenSSL's security level 0 on the client too, or it never offers them. */
const LEGACY = 'DEFAULT@SECLEVEL=0';

/** What `openssl s_client` saw: the negotiated version and suite, the HTTP status line, alerts. */
export interface HandshakeResult extends ClientRun {
  readonly protocol?: string;
  /** OpenSSL's name of the negotiated suite; undefined when the handshake failed. */
  readonly cipher?: string;
  /** The HTTP status of the answer to `GET /healthz`; undefined when none came. */
  readonly status?: number;
}

/** `GET /healthz` over `openssl s_client`, configured as the toolkit's Go client would be. */
export async function sClient(port: number, certs: string, client: ClientSpec): Promise<HandshakeResult> {
  const args = ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', '-CAfile', join(certs, 'tls-ca-chain.pem'), '-verify_return_error', '-ign_eof'];
  if (client.maxVersion === 'TLS11') args.push('-tls1_1', '-cipher', LEGACY);
  if (client.maxVersion === 'TLS12') args.push('-tls1_2');
  if (client.ciphers !== undefined) args.push('-cipher', openssl(client.ciphers));
  if (client.curves !== undefined) args.push('-groups', groups(client.curves));
  if (client.cert !== undefined) args.push('-cert', join(certs, `${client.cert}.pem`), '-key', join(certs, `${client.cert}.key`));
  const auth = client.user === undefined ? '' : `Authorization: Basic ${Buffer.from(`${client.user}:${client.password ?? ''}`).toString('base64')}\r\n`;
  const result = await run('openssl', args, `GET /healthz HTTP/1.1\r\nHost: localhost\r\n${auth}Connection: close\r\n\r\n`);
  const negotiated = /New, (\S+), Cipher is (\S+)/.exec(result.out);
  // s_client's printout of TLS tickets may interleave with the answer: find the status line anywhere.
  const status = /HTTP\/1\.1 (\d{3}) /.exec(result.out);
  return {
    ...result,
    ...(negotiated === null || negotiated[2] === '(NONE)' ? {} : { protocol: negotiated[1] as string, cipher: negotiated[2] as string }),
    ...(status === null ? {} : { status: Number(status[1]) }),
  };
}

/** What curl got: one status per request (0 when a request failed), headers and body of the last. */
export interface CurlResult extends ClientRun {
  readonly statuses: readonly number[];
  readonly headers: string;
  readonly body: string;
}

/** `GET /healthz` with curl (`requests` times), configured as the toolkit's Go client would be. */
export async function curl(port: number, certs: string, client: ClientSpec): Promise<CurlResult> {
  const url = client.tls ? `https://localhost:${port}/healthz` : `http://localhost:${port}/healthz`;
  const args = ['-sS', '--resolve', `localhost:${port}:127.0.0.1`, '--max-time', '20', '-D', '-', '-w', '\n@@status %{http_code}\n'];
  if (client.tls) args.push('--cacert', join(certs, 'tls-ca-chain.pem'));
  if (client.maxVersion === 'TLS11') args.push('--tlsv1.0', '--tls-max', '1.1', '--ciphers', LEGACY);
  if (client.maxVersion === 'TLS12') args.push('--tls-max', '1.2');
  if (client.ciphers !== undefined) args.push('--ciphers', openssl(client.ciphers));
  if (client.curves !== undefined) args.push('--curves', groups(client.curves));
  if (client.cert !== undefined) args.push('--cert', join(certs, `${client.cert}.pem`), '--key', join(certs, `${client.cert}.key`));
  if (client.user !== undefined) args.push('-u', `${client.user}:${client.password ?? ''}`);
  const requests = client.requests ?? 1;
  for (let i = 0; i < requests; i++) args.push(url);
  const result = await run('curl', args);
  const statuses = [...result.out.matchAll(/@@status (\d{3})/g)].map((m) => Number(m[1]));
  const last = result.out.lastIndexOf('HTTP/1.1 ');
  const tail = last < 0 ? '' : result.out.slice(last);
  const split = tail.indexOf('\r\n\r\n');
  return {
    ...result,
    statuses,
    headers: split < 0 ? tail : tail.slice(0, split),
    body: split < 0 ? '' : (tail.slice(split + 4).split('\n@@status')[0] ?? ''),
  };
}
