import { z } from '@muster/sdk';

/**
 * A string as Go's YAML decoder reads one into a `string` field: any scalar counts, by its text
 * (`1` is "1", `true` is "true"); a missing or null value is "".
 */
const goString = z.preprocess(
  (v) => (v === null || v === undefined ? '' : typeof v === 'number' || typeof v === 'boolean' ? String(v) : v),
  z.string({ error: (issue) => `expected a string, found ${describe(issue.input)}` }),
);

const goStringList = z.array(goString, { error: (issue) => `expected a list of strings, found ${describe(issue.input)}` }).nullish();

const goBool = z.boolean({ error: (issue) => `expected true or false, found ${describe(issue.input)}` });

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}

/**
 * The structure of a web config file, in the format of the Prometheus exporter-toolkit
 * (`docs/web-configuration.md` there). Keys are checked strictly, as the toolkit's
 * `yaml.UnmarshalStrict` does; what values mean (cipher names, policies, files) is checked by
 * `load.ts`, in the toolkit's order.
 */
export const webConfigSchema = z
  .object({
    tls_server_config: z
      .object({
        cert: goString.optional(),
        key: goString.optional(),
        client_ca: goString.optional(),
        cert_file: goString.optional(),
        key_file: goString.optional(),
        client_auth_type: goString.optional(),
        client_ca_file: goString.optional(),
        client_allowed_sans: goStringList,
        min_version: goString.optional(),
        max_version: goString.optional(),
        cipher_suites: goStringList,
        prefer_server_cipher_suites: goBool.optional(),
        curve_preferences: goStringList,
      })
      .strict()
      .nullish(),
    http_server_config: z
      .object({
        http2: goBool.optional(),
        headers: z.record(z.string(), goString).nullish(),
      })
      .strict()
      .nullish(),
    rate_limit: z
      .object({
        interval: z.union([z.string(), z.number()], { error: (issue) => `expected a duration like "1s", found ${describe(issue.input)}` }).optional(),
        burst: z.number({ error: (issue) => `expected a whole number, found ${describe(issue.input)}` }).int('expected a whole number').min(0, 'expected 0 or more').optional(),
      })
      .strict()
      .nullish(),
    basic_auth_users: z.record(z.string(), goString).nullish(),
  })
  .strict();

/** A web config file as parsed, before its values are checked. */
export type WebConfigFile = z.output<typeof webConfigSchema>;
