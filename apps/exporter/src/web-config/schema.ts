import { z } from '@muster/sdk';

/** TLS versions as the Prometheus exporter-toolkit names them. */
export const TLS_VERSIONS = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' } as const;

/** Client certificate policies of the exporter-toolkit (Go's tls.ClientAuthType names). */
export const CLIENT_AUTH_TYPES = [
  'NoClientCert',
  'RequestClientCert',
  'RequireAnyClientCert',
  'VerifyClientCertIfGiven',
  'RequireAndVerifyClientCert',
] as const;

const BCRYPT = /^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$/;
const version = z.enum(Object.keys(TLS_VERSIONS) as [keyof typeof TLS_VERSIONS, ...(keyof typeof TLS_VERSIONS)[]], {
  error: (issue) => `expected one of TLS10, TLS11, TLS12, TLS13, found ${JSON.stringify(issue.input)}`,
});

/**
 * The web config file, in the format of the Prometheus exporter-toolkit's `web-config.yml`,
 * so operators reuse what they know: TLS (with client certificates), bcrypt basic auth, headers.
 */
export const webConfigSchema = z
  .object({
    tls_server_config: z
      .object({
        cert_file: z.string().min(1),
        key_file: z.string().min(1),
        client_auth_type: z.enum(CLIENT_AUTH_TYPES).default('NoClientCert'),
        client_ca_file: z.string().min(1).optional(),
        min_version: version.default('TLS12'),
        max_version: version.default('TLS13'),
        cipher_suites: z.array(z.string()).optional(),
        prefer_server_cipher_suites: z.boolean().optional(),
        curve_preferences: z.array(z.string()).optional(),
      })
      .strict()
      .superRefine((tls, ctx) => {
        const verifies = tls.client_auth_type === 'VerifyClientCertIfGiven' || tls.client_auth_type === 'RequireAndVerifyClientCert';
        if (verifies && tls.client_ca_file === undefined) {
          ctx.addIssue({ code: 'custom', path: ['client_ca_file'], message: `required when client_auth_type is ${tls.client_auth_type}` });
        }
      })
      .optional(),
    http_server_config: z
      .object({
        http2: z.boolean().default(true),
        headers: z.record(z.string(), z.string()).default({}),
      })
      .strict()
      .prefault({}),
    basic_auth_users: z
      .record(
        z.string().regex(/^[^:]+$/, 'expected a user name without ":"'),
        z.string().regex(BCRYPT, 'expected a bcrypt hash ($2y$…, as `htpasswd -nBC 10 user` writes it)'),
      )
      .default({}),
  })
  .strict();

export type WebConfig = z.output<typeof webConfigSchema>;
