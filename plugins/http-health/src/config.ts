import { buckets as bucketsSchema, httpUrl, parseDuration, z } from '@muster/sdk';
import { parseStatusSpec } from './status.js';

/** HTTP methods a check may use. */
export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** Histogram buckets (seconds) used when `buckets` is not set. */
export const DEFAULT_BUCKETS: readonly number[] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** 1 MiB: the body size read when `maxBodyBytes` is not set. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const MAX_BODY_LIMIT = 100 * 1024 * 1024;

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const typeError = (expected: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? `required: ${expected}` : `expected ${expected}, found ${typeof issue.input}`;

/** A message for a value of the wrong type only; other issues (e.g. unknown keys) keep zod's own. */
const wrongType = (message: string) => (issue: { code?: string }) => (issue.code === 'invalid_type' ? message : undefined);

// Errors never repeat the URL: it may hold credentials or a token.
const url = httpUrl();

const method = z.enum(METHODS, {
  error: (issue) => `expected one of ${METHODS.join(', ')} (upper case), found ${JSON.stringify(issue.input)}`,
});

const headers = z
  .record(z.string(), z.string({ error: typeError('a header value string') }), {
    error: wrongType('expected a map of header names to string values'),
  })
  .superRefine((record, ctx) => {
    for (const [name, value] of Object.entries(record)) {
      if (!HEADER_NAME.test(name)) {
        ctx.addIssue({ code: 'custom', path: [name], message: `expected a valid header name, found ${JSON.stringify(name)}` });
      } else if (/[\r\n]/.test(value)) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'a header value must not contain line breaks' });
      }
    }
  });

const statusSpec = z
  .union([z.number(), z.string()], { error: 'expected a status code, a class like "2xx" or a range like "200-299"' })
  .superRefine((spec, ctx) => {
    if (parseStatusSpec(spec) === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a status code 100-599, a class like "2xx" or a range like "200-299", found ${JSON.stringify(spec)}`,
      });
    }
  });

const expectedStatus = z
  .array(statusSpec, { error: wrongType('expected a list of status codes, classes or ranges, e.g. [200, "3xx", "400-404"]') })
  .min(1, 'expected at least one status code, class or range');

const bodyMatch = z.string({ error: typeError('a regular expression string') }).superRefine((source, ctx) => {
  try {
    new RegExp(source);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `expected a valid regular expression: ${(err as Error).message}` });
  }
});

const timeout = z.string({ error: typeError('a duration like "500ms" or "5s"') }).superRefine((text, ctx) => {
  if (parseDuration(text) === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected a duration like "500ms", "5s" or "1m", found ${JSON.stringify(text)}` });
  }
});

const tls = z
  .object(
    {
      ca: z
        .string({ error: typeError('PEM text (use ${file:ca.pem} to read a file)') })
        .refine((pem) => pem.includes('-----BEGIN CERTIFICATE-----'), {
          error: 'expected PEM text with "-----BEGIN CERTIFICATE-----" (use ${file:ca.pem} to read a file)',
        })
        .optional()
        .describe("Certificates (PEM) to trust instead of the system's roots; use ${file:ca.pem} to read a file relative to the config."),
      insecureSkipVerify: z
        .boolean({ error: typeError('true or false') })
        .default(false)
        .describe('Accept any certificate and host name. For tests only; not with "ca".'),
    },
    { error: wrongType('expected an object with "ca" and/or "insecureSkipVerify"') },
  )
  .strict()
  .superRefine((value, ctx) => {
    if (value.ca !== undefined && value.insecureSkipVerify) {
      ctx.addIssue({ code: 'custom', path: ['insecureSkipVerify'], message: 'set either "ca" or "insecureSkipVerify: true", not both' });
    }
  });

const buckets = bucketsSchema();


/** The `config` block of an http-health instance. */
export const configSchema = z
  .object(
    {
      url: url.describe('The http:// or https:// URL to check. It may carry user info; it is never logged whole.'),
      method: method.default('GET').describe('GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS (upper case).'),
      headers: headers.default({}).describe("Request headers; muster sends its own User-Agent unless you set one. Values are never logged."),
      body: z.string({ error: typeError('a string') }).optional().describe('Request body, sent as is (set content-type in headers). Not allowed with GET or HEAD.'),
      expectedStatus: expectedStatus
        .default(['2xx'])
        .describe('Status codes that count as healthy: a code (200), a class ("2xx") or an inclusive range ("200-299").'),
      bodyMatch: bodyMatch.optional().describe('A JavaScript regular expression the body (read as UTF-8) must contain. Not allowed with HEAD.'),
      timeout: timeout
        .optional()
        .describe('Request timeout (500ms, 5s, 1m). Default: a little under the instance timeout (the larger of timeout - 500ms and 90% of it); a longer value is shortened.'),
      tls: tls.prefault({}).describe('TLS settings of the request.'),
      followRedirects: z
        .boolean({ error: typeError('true or false') })
        .default(true)
        .describe('Follow 3xx redirects and check the final response; with false the 3xx itself is checked against expectedStatus.'),
      maxRedirects: z
        .number({ error: typeError('a whole number') })
        .int('expected a whole number')
        .min(0, 'expected 0 or more')
        .max(20, 'expected at most 20')
        .default(5)
        .describe('Redirects followed at most (0-20); one more is an unhealthy check, reason "error".'),
      maxBodyBytes: z
        .number({ error: typeError('a number of bytes') })
        .int('expected a whole number of bytes')
        .positive('expected a size above 0')
        .max(MAX_BODY_LIMIT, `expected at most ${MAX_BODY_LIMIT} (100 MiB)`)
        .default(DEFAULT_MAX_BODY_BYTES)
        .describe('Body bytes read at most, after decompression (up to 100 MiB); past it the check is unhealthy, reason "body-too-large".'),
      buckets: buckets
        .default([...DEFAULT_BUCKETS])
        .describe("Upper bounds in seconds, strictly ascending, of the request duration histogram's buckets (+Inf is added)."),
    },
    { error: wrongType('expected an object with at least "url"') },
  )
  .strict()
  .superRefine((config, ctx) => {
    if (config.body !== undefined && (config.method === 'GET' || config.method === 'HEAD')) {
      ctx.addIssue({
        code: 'custom',
        path: ['body'],
        message: `a ${config.method} request cannot carry a body; set "method" to POST, PUT, PATCH, DELETE or OPTIONS`,
      });
    }
    if (config.bodyMatch !== undefined && config.method === 'HEAD') {
      ctx.addIssue({ code: 'custom', path: ['bodyMatch'], message: 'a HEAD response has no body to match; use GET' });
    }
  });

/** A validated `config` block. */
export type HttpHealthConfig = z.output<typeof configSchema>;
