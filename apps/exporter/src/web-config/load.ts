import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { formatPath, issuesFromZod } from '@muster/core';
import { parse } from 'yaml';
import { type CLIENT_AUTH_TYPES, TLS_VERSIONS, webConfigSchema } from './schema.js';

/** What the server needs from a web config: TLS options, users and their hashes, headers. */
export interface WebSettings {
  readonly https?: {
    readonly cert: Buffer;
    readonly key: Buffer;
    readonly ca?: Buffer;
    readonly requestCert: boolean;
    readonly rejectUnauthorized: boolean;
    readonly minVersion: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
    readonly maxVersion: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  };
  /** The client certificate policy, checked per request where Node's handshake does not. */
  readonly clientAuth: (typeof CLIENT_AUTH_TYPES)[number];
  readonly users: ReadonlyMap<string, string>;
  readonly headers: Readonly<Record<string, string>>;
}

/** A web config that cannot be used; `lines` name each bad value's path. */
export class WebConfigError extends Error {
  constructor(
    readonly file: string,
    readonly lines: readonly string[],
  ) {
    super(`web config ${file}: ${lines.join('; ')}`);
    this.name = 'WebConfigError';
  }
}

/** Reads and checks a web config file; certificate paths are relative to it. */
export function loadWebConfig(file: string): WebSettings {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8')) ?? {};
  } catch (err) {
    throw new WebConfigError(file, [(err as Error).message.split('\n')[0] ?? 'cannot read']);
  }
  const parsed = webConfigSchema.safeParse(raw);
  if (!parsed.success) throw new WebConfigError(file, issuesFromZod(parsed.error).map((i) => `${i.path}: ${i.message}`));
  const config = parsed.data;
  const dir = dirname(file);
  const read = (path: string, at: (string | number)[]) => {
    try {
      return readFileSync(resolve(dir, path));
    } catch (err) {
      throw new WebConfigError(file, [`${formatPath(at)}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
    }
  };
  const tls = config.tls_server_config;
  let https: WebSettings['https'];
  if (tls !== undefined) {
    const verify = tls.client_auth_type === 'VerifyClientCertIfGiven' || tls.client_auth_type === 'RequireAndVerifyClientCert';
    https = {
      cert: read(tls.cert_file, ['tls_server_config', 'cert_file']),
      key: read(tls.key_file, ['tls_server_config', 'key_file']),
      ...(tls.client_ca_file === undefined ? {} : { ca: read(tls.client_ca_file, ['tls_server_config', 'client_ca_file']) }),
      requestCert: tls.client_auth_type !== 'NoClientCert',
      // Node refuses the handshake itself only for "require and verify"; the other policies are
      // checked per request (see auth.ts).
      rejectUnauthorized: tls.client_auth_type === 'RequireAndVerifyClientCert' && verify,
      minVersion: TLS_VERSIONS[tls.min_version],
      maxVersion: TLS_VERSIONS[tls.max_version],
    };
  }
  return {
    ...(https === undefined ? {} : { https }),
    clientAuth: tls?.client_auth_type ?? 'NoClientCert',
    users: new Map(Object.entries(config.basic_auth_users)),
    headers: config.http_server_config.headers,
  };
}
