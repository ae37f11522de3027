import { buckets as bucketsSchema, duration, parseDuration, underDeadline, z } from '@muster/sdk';

/** TLS modes, as libpq names them. `prefer` and `allow` (fall back to plain text) are not offered. */
export const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** Histogram buckets (seconds) used when `buckets` is not set. */
export const DEFAULT_BUCKETS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The query a ping runs when `query` is not set. */
export const DEFAULT_QUERY = 'SELECT 1';

/** The longest timer Node.js keeps (2^31 - 1 ms, ~24.8 days), also PostgreSQL's largest `statement_timeout`. */
export const MAX_TIMER_MS = 2_147_483_647;

/** A duration in milliseconds, cut to what a timer and PostgreSQL accept (a longer timer would fire at once). */
export function timerMs(ms: number): number {
  return Math.min(ms, MAX_TIMER_MS);
}

/**
 * Whether a query holds nothing but comments, semicolons and white space: the server would
 * answer such a text with an empty response and the ping would check nothing.
 */
export function isEmptyStatement(text: string): boolean {
  return (
    text
      .replace(/\/\*[\s\S]*?\*\//g, ' ')
      .replace(/--[^\n]*/g, ' ')
      .replace(/[;\s]/g, '') === ''
  );
}

/** Connections a pool may hold at most (`pool.max`). */
export const MAX_POOL_SIZE = 10;

/** Query parameters a `connectionString` may carry. */
export const URL_PARAMETERS = ['sslmode', 'application_name', 'host', 'port', 'user', 'password', 'dbname'] as const;

const typeError = (expected: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? `required: ${expected}` : `expected ${expected}, found ${typeof issue.input}`;

/** A message for a value of the wrong type only; other issues (e.g. unknown keys) keep zod's own. */
const wrongType = (message: string) => (issue: { code?: string }) => (issue.code === 'invalid_type' ? message : undefined);

/** The parts of a `postgres://` URL. Every field is optional; the password is never echoed in errors. */
export interface UrlParts {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  sslmode?: string;
  applicationName?: string;
}

/**
 * Parses a libpq-style URL, `postgres[ql]://[user[:password]@][host][:port][/database][?param=value&…]`.
 * Returns the parts, or an error message that never repeats the text (it may hold a password).
 */
export function parseConnectionString(text: string): UrlParts | string {
  if (!/^postgres(ql)?:\/\//i.test(text)) return 'expected a URL starting with postgres:// or postgresql://';
  let url: URL;
  try {
    // WHATWG URL parsing needs a host; libpq allows none (postgres:///db means the default host).
    url = new URL(text.replace(/^postgres(ql)?:\/\/(?=[/?]|$)/i, 'postgres://__default__'));
  } catch {
    return 'expected a valid postgres:// URL (special characters in the user or password must be percent-encoded)';
  }
  const decode = (value: string): string | undefined => {
    if (value === '') return undefined;
    try {
      return decodeURIComponent(value);
    } catch {
      return undefined;
    }
  };
  const parts: UrlParts = {};
  const host = url.hostname === '__default__' ? undefined : decode(url.hostname.replace(/^\[(.*)\]$/, '$1'));
  if (host !== undefined) parts.host = host;
  if (url.port !== '') parts.port = Number(url.port);
  const user = decode(url.username);
  if (user !== undefined) parts.user = user;
  const password = decode(url.password);
  if (password !== undefined) parts.password = password;
  const database = decode(url.pathname.replace(/^\//, ''));
  if (database !== undefined) parts.database = database;
  for (const [key, value] of url.searchParams) {
    switch (key) {
      case 'sslmode':
        parts.sslmode = value;
        break;
      case 'application_name':
        parts.applicationName = value;
        break;
      case 'host':
        parts.host = value;
        break;
      case 'port': {
        const port = Number(value);
        if (!Number.isInteger(port) || port < 1 || port > 65535) return 'the port parameter must be a number from 1 to 65535';
        parts.port = port;
        break;
      }
      case 'user':
        parts.user = value;
        break;
      case 'password':
        parts.password = value;
        break;
      case 'dbname':
        parts.database = value;
        break;
      default:
        return `unsupported parameter "${key.slice(0, 40)}" (supported: ${URL_PARAMETERS.join(', ')}; TLS files and timeouts are config keys)`;
    }
  }
  return parts;
}

const connectionString = z.string({ error: typeError('a postgres:// URL') }).superRefine((text, ctx) => {
  const parts = parseConnectionString(text);
  if (typeof parts === 'string') {
    ctx.addIssue({ code: 'custom', message: parts });
    return;
  }
  if (parts.sslmode !== undefined && !(SSL_MODES as readonly string[]).includes(parts.sslmode)) {
    ctx.addIssue({
      code: 'custom',
      message: `sslmode "${parts.sslmode.slice(0, 20)}" is not supported: use ${SSL_MODES.join(', ')} (prefer/allow would fall back to plain text silently)`,
    });
  }
});

const pem = (what: string) =>
  z
    .string({ error: typeError(`PEM text (use \${file:${what}} to read a file)`) })
    .refine((text) => /-----BEGIN [A-Z0-9 ]+-----/.test(text), { error: `expected PEM text with a "-----BEGIN …-----" line (use \${file:${what}} to read a file)` });

const tls = z
  .object(
    {
      ca: pem('ca.pem').optional().describe("Certificates (PEM) to trust instead of the system's roots; use ${file:ca.pem}."),
      cert: pem('client.crt').optional().describe('A client certificate (PEM), when the server asks for one; needs "key".'),
      key: pem('client.key').optional().describe('The client certificate\'s private key (PEM); use ${file:client.key}.'),
      servername: z
        .string({ error: typeError('a host name') })
        .min(1, 'expected a host name')
        .optional()
        .describe('The host name the server certificate must carry, when it is not the host connected to.'),
    },
    { error: wrongType('expected an object with "ca", "cert", "key" and/or "servername"') },
  )
  .strict()
  .superRefine((value, ctx) => {
    if ((value.cert === undefined) !== (value.key === undefined)) {
      ctx.addIssue({ code: 'custom', path: [value.cert === undefined ? 'cert' : 'key'], message: 'a client certificate needs both "cert" and "key"' });
    }
  });

const pool = z
  .object(
    {
      max: z
        .number({ error: typeError('a whole number') })
        .int('expected a whole number')
        .min(1, 'expected at least 1')
        .max(MAX_POOL_SIZE, `expected at most ${MAX_POOL_SIZE}: a ping needs one connection`)
        .default(1)
        .describe(`Connections kept at most (1-${MAX_POOL_SIZE}): a ping needs one.`),
      idleTimeout: duration().default('60s').describe('An idle connection is closed after this long; a shorter schedule reuses one connection.'),
      maxLifetime: duration().default('1h').describe('A connection is replaced after this long, so connecting is tested too.'),
    },
    { error: wrongType('expected an object with "max", "idleTimeout" and/or "maxLifetime"') },
  )
  .strict();

const buckets = bucketsSchema();


// Printable ASCII: what PostgreSQL keeps of application_name (anything else becomes "?").
const applicationName = z
  .string({ error: typeError('a string') })
  .max(63, 'expected at most 63 characters (PostgreSQL truncates longer names)')
  .regex(/^[\x20-\x7e]*$/, 'expected printable ASCII characters only');

/** The `config` block of a postgres instance. */
export const configSchema = z
  .object(
    {
      connectionString: connectionString
        .optional()
        .describe('A libpq URL, postgres[ql]://user[:password]@host[:port]/database?sslmode=…&application_name=…; keys set beside it win over its parts.'),
      host: z
        .string({ error: typeError('a host name, an IP address or a unix socket folder') })
        .min(1, 'expected a host')
        .optional()
        .describe('A host name, an IP address or a unix socket folder. Required unless connectionString names one.'),
      port: z
        .number({ error: typeError('a port number') })
        .int('expected a whole number')
        .min(1)
        .max(65535, 'expected a port from 1 to 65535')
        .optional()
        .describe('Default 5432.'),
      database: z.string({ error: typeError('a database name') }).min(1, 'expected a database name').optional().describe("Default: the user's name."),
      user: z
        .string({ error: typeError('a user name') })
        .min(1, 'expected a user name')
        .optional()
        .describe('The role to ping with. Required unless connectionString names one.'),
      password: z
        .string({ error: typeError('a string (use ${file:path} to read it from a file)') })
        .optional()
        .describe('Read it from a file (${file:…}) or the environment; without one, PGPASSWORD and ~/.pgpass are used, as libpq does.'),
      sslmode: z
        .enum(SSL_MODES, { error: (issue) => `expected one of ${SSL_MODES.join(', ')}, found ${JSON.stringify(issue.input)}` })
        .optional()
        .describe('disable (default), require (encrypted, not verified), verify-ca (the chain is checked) or verify-full (the chain and the host name).'),
      tls: tls.prefault({}).describe('TLS files and the expected server name; need sslmode require, verify-ca or verify-full.'),
      applicationName: applicationName.optional().describe('What DBAs see in pg_stat_activity (printable ASCII, at most 63). Default "muster/<instance name>".'),
      query: z
        .string({ error: typeError('one SQL statement') })
        .trim()
        .min(1, 'expected one SQL statement')
        .refine((text) => !isEmptyStatement(text), { error: 'expected one SQL statement, found only comments or semicolons' })
        .default(DEFAULT_QUERY)
        .describe('One read-only statement, run in a read-only transaction that is rolled back. Keep it cheap.'),
      timeout: duration()
        .optional()
        .describe('Ping timeout, connecting and the query. Default: a little under the instance timeout (the larger of timeout - 500ms and 90% of it); a longer one is shortened.'),
      pool: pool.prefault({}).describe('The ping pool.'),
      buckets: buckets
        .default([...DEFAULT_BUCKETS])
        .describe("Upper bounds in seconds, strictly ascending, of the ping duration histogram's buckets (+Inf is added)."),
    },
    { error: wrongType('expected an object with "connectionString", or "host", "user" and the other connection keys') },
  )
  .strict()
  .superRefine((config, ctx) => {
    const fromUrl = config.connectionString === undefined ? {} : parseConnectionString(config.connectionString);
    if (typeof fromUrl === 'string') return; // already reported on connectionString
    if (config.host === undefined && fromUrl.host === undefined) {
      ctx.addIssue({ code: 'custom', path: ['host'], message: 'required: a host (or a connectionString naming one)' });
    }
    if (config.user === undefined && fromUrl.user === undefined) {
      ctx.addIssue({ code: 'custom', path: ['user'], message: 'required: a user (or a connectionString naming one)' });
    }
    const sslmode = config.sslmode ?? fromUrl.sslmode ?? 'disable';
    if (sslmode === 'disable' && (config.tls.ca !== undefined || config.tls.cert !== undefined || config.tls.servername !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['tls'], message: 'TLS options need sslmode require, verify-ca or verify-full' });
    }
  });

/** A validated `config` block. */
export type PostgresConfig = z.output<typeof configSchema>;

/** Where and how to connect, resolved from the config: fields win over the connection string's parts. */
export interface Target {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string | undefined;
  readonly sslmode: SslMode;
  readonly applicationName: string;
}

/** Resolves the connection settings of a validated config (see {@link Target}). */
export function resolveTarget(config: PostgresConfig, instanceName: string): Target {
  const parsed = config.connectionString === undefined ? {} : parseConnectionString(config.connectionString);
  const url: UrlParts = typeof parsed === 'string' ? {} : parsed;
  const user = config.user ?? url.user ?? '';
  return {
    host: config.host ?? url.host ?? 'localhost',
    port: config.port ?? url.port ?? 5432,
    // libpq's default: the database named like the user.
    database: config.database ?? url.database ?? user,
    user,
    password: config.password ?? url.password,
    sslmode: config.sslmode ?? (url.sslmode as SslMode | undefined) ?? 'disable',
    applicationName: config.applicationName ?? url.applicationName ?? defaultApplicationName(instanceName),
  };
}

/** `muster/<instance>`, cut to PostgreSQL's 63 characters and to printable ASCII. */
export function defaultApplicationName(instanceName: string): string {
  return `muster/${instanceName}`.replace(/[^\x20-\x7e]/g, '?').slice(0, 63);
}

/** The timeouts of a ping, all in milliseconds. */
export interface Timeouts {
  /** The whole ping (connect + query): past it the connection in use is destroyed. */
  readonly pingMs: number;
  /** `connectionTimeoutMillis`: connecting, or waiting for a pooled connection. */
  readonly connectMs: number;
  /** `SET LOCAL statement_timeout` in the ping's transaction: the server cancels the query itself a little before `pingMs`. */
  readonly statementMs: number;
}

/**
 * The ping's timeouts for an instance deadline of `instanceTimeoutMs`: `timeout` (when set and
 * shorter) or a little under the deadline for the whole ping, and the server's statement timeout
 * a little under that, so the server cancels a hung query before the client gives up on it.
 */
export function resolveTimeouts(config: PostgresConfig, instanceTimeoutMs: number): Timeouts & { readonly shortened: boolean } {
  const limit = underDeadline(instanceTimeoutMs);
  const configured = config.timeout === undefined ? undefined : parseDuration(config.timeout);
  // Past ~24.8 days a Node.js timer fires at once and PostgreSQL refuses the statement_timeout.
  const pingMs = timerMs(Math.min(configured ?? limit, limit));
  return { pingMs, connectMs: pingMs, statementMs: underDeadline(pingMs), shortened: configured !== undefined && configured > limit };
}
