import { constants as cryptoConstants, createPrivateKey, X509Certificate } from 'node:crypto';
import { dirname, isAbsolute, resolve } from 'node:path';
import { createSecureContext, type SecureContext, type SecureContextOptions } from 'node:tls';
import { type ConfigIssue, createError, createIssuesError, formatPath, issuesFromZod } from '@muster/core';
import { isMap, isScalar, parseDocument } from 'yaml';
import { bcryptProblem, normalizeBcrypt } from './bcrypt-hash.js';
import { parseGoDuration } from './go-duration.js';
import {
  CLIENT_AUTH_TYPES,
  type ClientAuthType,
  CURVES,
  clientAuthType,
  DEFAULT_CURVES,
  DEFAULT_TLS12_CIPHERS,
  HTTP2_REQUIRED_CIPHERS,
  type NodeTlsVersion,
  TLS_VERSIONS,
  TLS12_CIPHERS,
  TLS13_CIPHERS,
  type TlsVersionName,
} from './go-tls.js';
import { headerProblem } from './headers.js';
import { MAX_PEM_FILE_BYTES, MAX_WEB_CONFIG_BYTES, readBoundedFile } from './read-bounded.js';
import { webConfigSchema } from './schema.js';

/** The TLS side of a web config, ready for Node's TLS server. */
export interface TlsSettings {
  /** Options for `https.createServer` and `server.setSecureContext`. */
  readonly options: SecureContextOptions & { readonly requestCert: boolean; readonly rejectUnauthorized: boolean; readonly ALPNProtocols: string[] };
  /** The same options as one secure context, for connections muster wraps itself. */
  readonly context: SecureContext;
  readonly clientAuth: ClientAuthType;
  /** Client certificates must carry one of these SANs (DNS, IP, e-mail or URI), when set. */
  readonly allowedSans?: readonly string[];
  readonly minVersion: NodeTlsVersion;
  readonly maxVersion: NodeTlsVersion;
}

/** A checked web config: TLS, users and their bcrypt hashes, headers, rate limit. */
export interface WebSettings {
  /** The web config file, absolute. */
  readonly file: string;
  /** Undefined: plain HTTP (the file configures no TLS, as the toolkit decides it). */
  readonly tls?: TlsSettings;
  /** User name → bcrypt hash (`$2y$` written as `$2b$`). */
  readonly users: ReadonlyMap<string, string>;
  readonly headers: Readonly<Record<string, string>>;
  /** A token bucket: one request per `intervalMs`, `burst` at once; undefined: no limit. */
  readonly rateLimit?: { readonly intervalMs: number; readonly burst: number };
  /** `http_server_config.http2` as written (muster serves HTTP/1.1; see docs/operations.md). */
  readonly http2: boolean;
  /** Every file this config was read from (itself first), to notice changes. */
  readonly files: readonly string[];
}

type Issue = ConfigIssue;
type Segment = string | number;

/** At most this many YAML aliases: a web config has no use for them, a bomb has many. */
const MAX_ALIASES = 100;

/**
 * Reads and checks a web config file with the exporter-toolkit's rules, in the toolkit's order;
 * certificate paths are relative to the file. Every problem is reported at once, each with its
 * key path. `muster validate`, `muster start` and a change of the file while running all use it.
 * @throws MusterError `MUSTER_ERR_WEB_CONFIG_READ`, `…_PARSE` or `…_INVALID`.
 */
export function loadWebConfig(path: string): WebSettings {
  const file = resolve(path);
  let text: string;
  try {
    text = readBoundedFile(file, MAX_WEB_CONFIG_BYTES).toString('utf8');
  } catch (err) {
    throw createError('MUSTER_ERR_WEB_CONFIG_READ', [file, describeFsError(err)]);
  }
  const raw = parseYaml(file, text);
  const parsed = webConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) throw invalid(file, issuesFromZod(parsed.error));
  const config = parsed.data;
  const issues: Issue[] = [];
  const at = (segments: Segment[], message: string) => issues.push({ path: formatPath(segments), segments, message });
  const dir = dirname(file);
  const files = [file];

  const headers: Record<string, string> = {};
  const headerText = headerSources(text);
  for (const [name, value] of Object.entries(config.http_server_config?.headers ?? {})) {
    const source = headerText.get(name) ?? value;
    const problem = headerProblem(name, source);
    if (problem !== undefined) at(['http_server_config', 'headers', name], problem);
    else headers[name] = source;
  }

  const users = new Map<string, string>();
  for (const [user, hash] of Object.entries(config.basic_auth_users ?? {})) {
    const problem = user.includes(':') ? 'expected a user name without ":"' : bcryptProblem(hash);
    if (problem !== undefined) at(['basic_auth_users', user], problem);
    else users.set(user, normalizeBcrypt(hash));
  }

  let rateLimit: WebSettings['rateLimit'];
  const limit = config.rate_limit;
  if (limit !== undefined && limit !== null) {
    const interval = limit.interval ?? 0;
    const intervalMs = typeof interval === 'number' ? (interval === 0 ? 0 : undefined) : parseGoDuration(interval);
    if (intervalMs === undefined || intervalMs < 0) {
      at(['rate_limit', 'interval'], `expected a duration like "1s" or "500ms" (0 turns the limit off), found ${JSON.stringify(interval)}`);
    } else if (intervalMs > 0) {
      rateLimit = { intervalMs, burst: limit.burst ?? 0 };
    }
  }

  const http2 = config.http_server_config?.http2 ?? true;
  const tls = tlsSettings(config.tls_server_config ?? {}, { dir, files, http2, at, count: () => issues.length });
  if (issues.length > 0) throw invalid(file, issues);
  return {
    file,
    ...(tls === undefined ? {} : { tls }),
    users,
    headers,
    ...(rateLimit === undefined ? {} : { rateLimit }),
    http2,
    files,
  };
}

type TlsInput = NonNullable<NonNullable<ReturnType<typeof webConfigSchema.parse>['tls_server_config']>>;

/** The toolkit's `ConfigToTLSConfig`, with every problem reported instead of the first. */
function tlsSettings(
  tls: TlsInput,
  ctx: { dir: string; files: string[]; http2: boolean; at: (segments: Segment[], message: string) => void; count: () => number },
): TlsSettings | undefined {
  const key = (name: string): Segment[] => ['tls_server_config', name];
  const { at, count } = ctx;
  const certFile = tls.cert_file ?? '';
  const certText = tls.cert ?? '';
  const keyFile = tls.key_file ?? '';
  const keyText = tls.key ?? '';
  const caFile = tls.client_ca_file ?? '';
  const caText = tls.client_ca ?? '';
  const authText = tls.client_auth_type ?? '';
  // The toolkit serves TLS as soon as one of these is set; the rest is then required.
  const enabled = [certFile, certText, keyFile, keyText, caFile, caText, authText].some((v) => v !== '');
  const before = count();

  const version = (name: 'min_version' | 'max_version', fallback: TlsVersionName): NodeTlsVersion | undefined => {
    const value = tls[name] ?? fallback;
    if (Object.hasOwn(TLS_VERSIONS, value)) return TLS_VERSIONS[value as TlsVersionName];
    at(key(name), `unknown TLS version ${JSON.stringify(value)}: expected one of ${Object.keys(TLS_VERSIONS).join(', ')}`);
    return undefined;
  };
  let minVersion = version('min_version', 'TLS12');
  const maxVersion = version('max_version', 'TLS13');
  const order: readonly NodeTlsVersion[] = Object.values(TLS_VERSIONS);
  if (minVersion !== undefined && maxVersion !== undefined && order.indexOf(minVersion) > order.indexOf(maxVersion)) {
    at(key('min_version'), `min_version ${tls.min_version} is above max_version ${tls.max_version ?? 'TLS13'}: no TLS version satisfies both`);
  }

  const suites = tls.cipher_suites ?? [];
  const tls12: string[] = [];
  let unknownSuites = false;
  suites.forEach((name, i) => {
    if (Object.hasOwn(TLS12_CIPHERS, name)) tls12.push(name);
    else if (!TLS13_CIPHERS.includes(name)) {
      unknownSuites = true;
      at([...key('cipher_suites'), i], `unknown cipher ${JSON.stringify(name)}: expected a name of Go's tls.CipherSuites(), such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`);
    }
  });
  const configured = suites.length > 0;
  const below13 = minVersion !== 'TLSv1.3';
  if (configured && !unknownSuites && ctx.http2 && below13 && !suites.some((s) => HTTP2_REQUIRED_CIPHERS.includes(s))) {
    at(
      key('cipher_suites'),
      `missing an HTTP/2-required AES_128_GCM_SHA256 cipher (${HTTP2_REQUIRED_CIPHERS.join(' or ')}), as Go's HTTP/2 server requires; add one, or set http_server_config.http2: false`,
    );
  }
  if (configured && tls12.length === 0 && count() === before) {
    // Only TLS 1.3 names: Go can then negotiate nothing below TLS 1.3.
    if (maxVersion !== 'TLSv1.3') at(key('cipher_suites'), 'lists no cipher suite usable up to TLS 1.2, and max_version excludes TLS 1.3');
    else minVersion = 'TLSv1.3';
  }

  const curveNames = tls.curve_preferences ?? [];
  curveNames.forEach((name, i) => {
    if (!Object.hasOwn(CURVES, name)) at([...key('curve_preferences'), i], `unknown curve ${JSON.stringify(name)}: expected one of ${Object.keys(CURVES).join(', ')}`);
  });

  // Go's decoder checks the names above even when TLS stays off; the rest only matters with TLS.
  if (!enabled) return undefined;

  const read = (name: string, path: string): Buffer | undefined => {
    const full = isAbsolute(path) ? path : resolve(ctx.dir, path);
    try {
      const content = readBoundedFile(full, MAX_PEM_FILE_BYTES);
      ctx.files.push(full);
      return content;
    } catch (err) {
      at(key(name), `cannot read ${path}: ${describeFsError(err)}`);
      return undefined;
    }
  };
  let cert: Buffer | undefined;
  let privateKey: Buffer | undefined;
  if (certFile === '' && certText === '') at(key('cert_file'), 'missing one of cert or cert_file');
  else cert = certFile !== '' ? read('cert_file', certFile) : Buffer.from(certText);
  if (keyFile === '' && keyText === '') at(key('key_file'), 'missing one of key or key_file');
  else privateKey = keyFile !== '' ? read('key_file', keyFile) : Buffer.from(keyText);
  if (cert !== undefined && privateKey !== undefined) {
    try {
      // OpenSSL drops a key that does not match the certificate without a word: check the pair.
      if (!new X509Certificate(cert).checkPrivateKey(createPrivateKey(privateKey))) throw new Error('the private key does not match the certificate');
      createSecureContext({ cert, key: privateKey });
    } catch (err) {
      at(key(certFile !== '' ? 'cert_file' : 'cert'), `the certificate and key cannot be used together: ${opensslReason(err)}`);
    }
  }

  let ca: Buffer | undefined;
  if (caFile !== '') ca = read('client_ca_file', caFile);
  else if (caText !== '') ca = Buffer.from(caText);
  if (ca !== undefined && ca.length > 0) {
    try {
      createSecureContext({ ca });
    } catch (err) {
      at(key(caFile !== '' ? 'client_ca_file' : 'client_ca'), `not usable as client CA certificates: ${opensslReason(err)}`);
    }
  }

  const clientAuth = clientAuthType(authText);
  if (clientAuth === undefined) {
    at(key('client_auth_type'), `invalid client_auth_type ${JSON.stringify(authText)}: expected one of ${CLIENT_AUTH_TYPES.join(', ')}`);
  } else if ((caFile !== '' || caText !== '') && clientAuth === 'NoClientCert') {
    at(
      key(caFile !== '' ? 'client_ca_file' : 'client_ca'),
      "client CA's have been configured without a client auth policy: set client_auth_type (RequireAndVerifyClientCert to require certificates from these CAs)",
    );
  }

  const sans = tls.client_allowed_sans ?? undefined;
  if (count() > before || cert === undefined || privateKey === undefined || clientAuth === undefined || minVersion === undefined || maxVersion === undefined) {
    return undefined;
  }
  const openssl12 = (tls12.length > 0 ? tls12 : configured ? [] : DEFAULT_TLS12_CIPHERS).map((n) => TLS12_CIPHERS[n] as string);
  // TLS 1.0 and 1.1 need OpenSSL's security level 0 for their SHA-1 handshakes, as Go allows them.
  const legacy = minVersion === 'TLSv1' || minVersion === 'TLSv1.1' ? ['@SECLEVEL=0'] : [];
  const verify = clientAuth !== 'NoClientCert';
  const options: TlsSettings['options'] = {
    cert,
    key: privateKey,
    ...(ca !== undefined && ca.length > 0 ? { ca } : {}),
    ciphers: [...TLS13_CIPHERS, ...openssl12, ...legacy].join(':'),
    honorCipherOrder: tls.prefer_server_cipher_suites ?? true,
    // Go's server never renegotiates; OpenSSL would let a client renegotiate (a CPU drain).
    secureOptions: cryptoConstants.SSL_OP_NO_RENEGOTIATION,
    ecdhCurve: (curveNames.length > 0 ? curveNames : DEFAULT_CURVES).map((n) => CURVES[n] as string).join(':'),
    minVersion,
    maxVersion,
    requestCert: verify,
    rejectUnauthorized: clientAuth === 'RequireAnyClientCert' || clientAuth === 'RequireAndVerifyClientCert',
    ALPNProtocols: ['http/1.1'],
  };
  let context: SecureContext;
  try {
    context = createSecureContext(options);
  } catch (err) {
    at(key('cipher_suites'), `OpenSSL refuses these TLS settings: ${opensslReason(err)}`);
    return undefined;
  }
  return { options, context, clientAuth, ...(sans === undefined || sans === null ? {} : { allowedSans: sans }), minVersion, maxVersion };
}

function invalid(file: string, issues: readonly Issue[]) {
  return createIssuesError('MUSTER_ERR_WEB_CONFIG_INVALID', file, issues);
}

/** Parses YAML as the toolkit's decoder would accept it; duplicate keys and alias floods are refused. */
function parseYaml(file: string, text: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const first = doc.errors[0];
  if (first !== undefined) {
    const pos = first.linePos?.[0];
    const where = pos === undefined ? '' : ` at line ${pos.line}, column ${pos.col}`;
    throw createError('MUSTER_ERR_WEB_CONFIG_PARSE', [file, `${first.message.split('\n')[0] ?? 'invalid YAML'}${where}`]);
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    throw createError('MUSTER_ERR_WEB_CONFIG_PARSE', [file, (err as Error).message.split('\n')[0] ?? 'invalid YAML']);
  }
}

/** Each header's value as written in the file (`1` stays "1", `1.0` stays "1.0"), as Go reads it. */
function headerSources(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const doc = parseDocument(text);
  const headers = doc.getIn(['http_server_config', 'headers'], true);
  if (!isMap(headers)) return out;
  for (const pair of headers.items) {
    if (isScalar(pair.key) && isScalar(pair.value) && typeof pair.value.source === 'string') {
      out.set(String(pair.key.value), pair.value.value === null ? '' : pair.value.source);
    }
  }
  return out;
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file (ENOENT)';
  if (code === 'EACCES') return 'permission denied (EACCES)';
  if (code === 'EISDIR') return 'is a folder (EISDIR)';
  if (code === 'ENOTREG' || code === 'EFBIG') return `${(err as Error).message} (${code})`;
  return code ?? (err as Error).message;
}

/** OpenSSL's reason without the key or certificate text (its messages never hold them). */
function opensslReason(err: unknown): string {
  const message = (err as Error).message ?? String(err);
  return message.replace(/^error:[0-9A-F]+:/, '').split('\n')[0] ?? message;
}
