/**
 * Every test case of the Prometheus exporter-toolkit's web config tests (`web/tls_config_test.go`
 * and `web/handler_test.go` in prometheus/exporter-toolkit), with the result the toolkit's Go
 * code expects. The conformance test runs muster against each and asserts that result, with
 * `openssl s_client` and `curl` as clients.
 *
 * `file` names the toolkit's testdata file (see toolkit-files.ts); `null` runs muster without a
 * web config; `somefile` is a path that does not exist.
 */

/** A client as the toolkit's test builds one (`getTLSClient` and the request it sends). */
export interface ClientSpec {
  /** https with the test CA trusted (true), or plain http (false). */
  readonly tls: boolean;
  /** The client's highest TLS version (`ClientMaxTLSVersion`). */
  readonly maxVersion?: 'TLS11' | 'TLS12';
  /** The client's TLS 1.2 cipher suites, by Go name (`CipherSuites`). */
  readonly ciphers?: readonly string[];
  /** The client's key exchange groups, by Go name (`CurvePreferences`). */
  readonly curves?: readonly string[];
  /** The client certificate to present (`ClientCertificate`). */
  readonly cert?: 'client_selfsigned' | 'client2_selfsigned';
  readonly user?: string;
  readonly password?: string;
  /** Requests sent one after the other (the toolkit sends `Requests + 1`). */
  readonly requests?: number;
}

/** What the toolkit's Go code expects, by the name of its `ErrorMap` entry where it has one. */
export type Expectation =
  /** The web config is refused (start exits 1; validate exits 1): `problem` in the message, at `key`. */
  | { readonly refused: string; readonly problem: RegExp; readonly key: string }
  /** `muster validate` accepts the file. */
  | { readonly valid: true }
  /** The client gets "200 ok" (and, when given, this cipher suite was negotiated). */
  | { readonly ok: true; readonly cipher?: string }
  /** The client fails: `failure` names the toolkit's ErrorMap entry. */
  | { readonly fails: 'HTTP Response to HTTPS' | 'HTTP Request to HTTPS server' | 'Incompatible TLS version' | 'Handshake failure' | 'Invalid client cert' }
  /** Every request gets this status (Unauthorized, Too Many Requests). */
  | { readonly status: 401 | 429; readonly atLeastOnce?: boolean };

/** One toolkit test case. */
export interface ToolkitCase {
  /** The Go test and subtest, as `go test -run` names it. */
  readonly test: string;
  /** The toolkit's testdata file it reads, `null` for none. */
  readonly file: string | null;
  /** `start`: run the server (the toolkit's ListenAndServe); `validate`: its `Validate`. */
  readonly mode: 'start' | 'validate';
  readonly client?: ClientSpec;
  readonly expect: Expectation;
}

const notFound = { problem: /cannot read|no such file/i } as const;

/** TestYAMLFiles: each file both served (`run/…`) and validated (`validate/…`). */
const YAML_FILES: readonly { name: string; file: string; expect: Expectation }[] = [
  { name: 'path to config yml invalid', file: 'somefile', expect: { refused: 'No such file', ...notFound, key: '' } },
  { name: 'empty config yml', file: 'web_config_empty.yml', expect: { valid: true } },
  { name: 'invalid config yml (invalid structure)', file: 'web_config_junk.yml', expect: { refused: 'YAML error', problem: /expected object|mapping/i, key: '(root)' } },
  { name: 'invalid config yml (invalid key)', file: 'web_config_junk_key.yml', expect: { refused: 'YAML error', problem: /unknown key "cert_filse"/, key: 'tls_server_config' } },
  { name: 'invalid config yml (cert path empty)', file: 'web_config_noAuth_certPath_empty.bad.yml', expect: { refused: 'Invalid Cert or CertPath', problem: /missing one of cert or cert_file/, key: 'tls_server_config.cert_file' } },
  { name: 'invalid config yml (cert empty)', file: 'web_config_noAuth_cert_empty.bad.yml', expect: { refused: 'Invalid Cert or CertPath', problem: /missing one of cert or cert_file/, key: 'tls_server_config.cert_file' } },
  { name: 'invalid config yml (key path empty)', file: 'web_config_noAuth_keyPath_empty.bad.yml', expect: { refused: 'Invalid Key or KeyPath', problem: /missing one of key or key_file/, key: 'tls_server_config.key_file' } },
  { name: 'invalid config yml (key empty)', file: 'web_config_noAuth_key_empty.bad.yml', expect: { refused: 'Invalid Key or KeyPath', problem: /missing one of key or key_file/, key: 'tls_server_config.key_file' } },
  { name: 'invalid config yml (cert path and key path empty)', file: 'web_config_noAuth_certPath_keyPath_empty.bad.yml', expect: { refused: 'Invalid Cert or CertPath', problem: /missing one of cert or cert_file/, key: 'tls_server_config.cert_file' } },
  { name: 'invalid config yml (cert path invalid)', file: 'web_config_noAuth_certPath_invalid.bad.yml', expect: { refused: 'No such file', ...notFound, key: 'tls_server_config.cert_file' } },
  { name: 'invalid config yml (key path invalid)', file: 'web_config_noAuth_keyPath_invalid.bad.yml', expect: { refused: 'No such file', ...notFound, key: 'tls_server_config.key_file' } },
  { name: 'invalid config yml (cert path and key path invalid)', file: 'web_config_noAuth_certPath_keyPath_invalid.bad.yml', expect: { refused: 'No such file', ...notFound, key: 'tls_server_config.cert_file' } },
  { name: 'invalid config yml (invalid ClientAuth)', file: 'web_config_noAuth.bad.yml', expect: { refused: 'ClientCA set without policy', problem: /client CA's have been configured without a client auth policy/i, key: 'tls_server_config.client_ca_file' } },
  { name: 'invalid config yml (invalid ClientCAs filepath)', file: 'web_config_auth_clientCAs_invalid.bad.yml', expect: { refused: 'No such file', ...notFound, key: 'tls_server_config.client_ca_file' } },
  { name: 'invalid config yml (invalid user list)', file: 'web_config_auth_user_list_invalid.bad.yml', expect: { refused: 'Bad password', problem: /expected a bcrypt hash/, key: 'basic_auth_users.john' } },
  { name: 'invalid config yml (bad cipher)', file: 'web_config_noAuth_inventedCiphers.bad.yml', expect: { refused: 'Unknown cipher', problem: /unknown cipher "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA2048"/, key: 'tls_server_config.cipher_suites[0]' } },
  { name: 'invalid config yml (bad curves)', file: 'web_config_noAuth_inventedCurves.bad.yml', expect: { refused: 'Unknown curve', problem: /unknown curve "CurveP257"/, key: 'tls_server_config.curve_preferences[0]' } },
  { name: 'invalid config yml (bad TLS version)', file: 'web_config_noAuth_wrongTLSVersion.bad.yml', expect: { refused: 'Unknown TLS version', problem: /unknown TLS version "TLS111"/, key: 'tls_server_config.min_version' } },
];

const tlsClient: ClientSpec = { tls: true };
const plainClient: ClientSpec = { tls: false };

/** TestServerBehaviour. */
const SERVER_BEHAVIOUR: readonly { name: string; file: string | null; client: ClientSpec; expect: Expectation }[] = [
  { name: 'empty string YAMLConfigPath and default client', file: null, client: plainClient, expect: { ok: true } },
  { name: 'empty string YAMLConfigPath and TLS client', file: null, client: tlsClient, expect: { fails: 'HTTP Response to HTTPS' } },
  { name: 'valid tls config yml and default client', file: 'web_config_noAuth.good.yml', client: plainClient, expect: { fails: 'HTTP Request to HTTPS server' } },
  { name: 'valid tls config yml and tls client', file: 'web_config_noAuth.good.yml', client: tlsClient, expect: { ok: true } },
  { name: 'valid tls config yml (cert and key inline) and tls client', file: 'web_config_noAuth_tlsInline.good.yml', client: tlsClient, expect: { ok: true } },
  { name: 'valid tls config yml with TLS 1.1 client', file: 'web_config_noAuth.good.yml', client: { tls: true, maxVersion: 'TLS11' }, expect: { fails: 'Incompatible TLS version' } },
  { name: 'valid tls config yml with all ciphers', file: 'web_config_noAuth_allCiphers.good.yml', client: tlsClient, expect: { ok: true } },
  {
    name: 'valid tls config yml with some ciphers',
    file: 'web_config_noAuth_someCiphers.good.yml',
    client: { tls: true, ciphers: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] },
    expect: { ok: true },
  },
  {
    name: 'valid tls config yml with no common cipher',
    file: 'web_config_noAuth_someCiphers.good.yml',
    client: { tls: true, ciphers: ['TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA'] },
    expect: { fails: 'Handshake failure' },
  },
  {
    name: 'valid tls config yml with multiple client ciphers',
    file: 'web_config_noAuth_someCiphers.good.yml',
    client: { tls: true, ciphers: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'] },
    expect: { ok: true, cipher: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' },
  },
  {
    name: 'valid tls config yml with multiple client ciphers, client chooses cipher',
    file: 'web_config_noAuth_someCiphers_noOrder.good.yml',
    client: { tls: true, ciphers: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'] },
    expect: { ok: true, cipher: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' },
  },
  { name: 'valid tls config yml with all curves', file: 'web_config_noAuth_allCurves.good.yml', client: tlsClient, expect: { ok: true } },
  { name: 'valid tls config yml with some curves', file: 'web_config_noAuth_someCurves.good.yml', client: { tls: true, curves: ['CurveP521'] }, expect: { ok: true } },
  { name: 'valid tls config yml with no common curves', file: 'web_config_noAuth_someCurves.good.yml', client: { tls: true, curves: ['CurveP384'] }, expect: { fails: 'Handshake failure' } },
  { name: 'valid tls config yml with non-http2 ciphers', file: 'web_config_noAuth_noHTTP2.good.yml', client: tlsClient, expect: { ok: true } },
  {
    name: 'valid tls config yml with non-http2 ciphers but http2 enabled',
    file: 'web_config_noAuth_noHTTP2Cipher.bad.yml',
    client: tlsClient,
    expect: { refused: 'No HTTP2 cipher', problem: /missing an HTTP\/2-required AES_128_GCM_SHA256 cipher/, key: 'tls_server_config.cipher_suites' },
  },
  { name: 'valid headers config', file: 'web_config_headers.good.yml', client: plainClient, expect: { ok: true } },
  {
    name: 'invalid X-Content-Type-Options headers config',
    file: 'web_config_headers_content_type_options.bad.yml',
    client: plainClient,
    expect: { refused: 'Invalid value', problem: /invalid value for X-Content-Type-Options/, key: 'http_server_config.headers.X-Content-Type-Options' },
  },
  {
    name: 'invalid X-Frame-Options headers config',
    file: 'web_config_headers_frame_options.bad.yml',
    client: plainClient,
    expect: { refused: 'Invalid value', problem: /invalid value for X-Frame-Options/, key: 'http_server_config.headers.X-Frame-Options' },
  },
  {
    name: 'HTTP header that can not be overridden',
    file: 'web_config_headers_extra_header.bad.yml',
    client: plainClient,
    expect: { refused: 'Invalid header', problem: /header "Content-Type" cannot be configured/, key: 'http_server_config.headers.Content-Type' },
  },
  {
    name: 'valid tls config yml and tls client with RequireAnyClientCert (present certificate)',
    file: 'tls_config_noAuth.requireanyclientcert.good.yml',
    client: { tls: true, cert: 'client_selfsigned' },
    expect: { ok: true },
  },
  {
    // The toolkit's test names the key-inline file but reads this one; so does this case.
    name: 'valid tls config yml (cert from file, key inline) and tls client with RequireAnyClientCert (present certificate)',
    file: 'tls_config_noAuth.requireanyclientcert.good.yml',
    client: { tls: true, cert: 'client_selfsigned' },
    expect: { ok: true },
  },
  {
    name: 'valid tls config yml and tls client with RequireAndVerifyClientCert (present certificate)',
    file: 'tls_config_noAuth.requireandverifyclientcert.good.yml',
    client: { tls: true, cert: 'client_selfsigned' },
    expect: { ok: true },
  },
  {
    name: 'valid tls config yml and tls client with VerifyPeerCertificate (present good SAN DNS entry)',
    file: 'web_config_auth_client_san.good.yaml',
    client: { tls: true, cert: 'client2_selfsigned' },
    expect: { ok: true },
  },
  {
    name: 'valid tls config yml and tls client with VerifyPeerCertificate (present invalid SAN DNS entries)',
    file: 'web_config_auth_client_san.bad.yaml',
    client: { tls: true, cert: 'client2_selfsigned' },
    expect: { fails: 'Invalid client cert' },
  },
  { name: "valid rate limiter (no rate limiter set up) that doesn't block", file: 'web_config_rate_limiter_nonblocking.yaml', client: { tls: false, requests: 11 }, expect: { ok: true } },
  {
    name: 'valid rate limiter with an interval of one second',
    file: 'web_config_rate_limiter_one_second.yaml',
    client: { tls: false, requests: 11 },
    expect: { status: 429, atLeastOnce: true },
  },
];

/** TestUsers. */
const USERS: readonly { name: string; file: string; client: ClientSpec; expect: Expectation }[] = [
  { name: 'without basic auth', file: 'web_config_users_noTLS.good.yml', client: plainClient, expect: { status: 401 } },
  { name: 'with correct basic auth', file: 'web_config_users_noTLS.good.yml', client: { tls: false, user: 'dave', password: 'dave123' }, expect: { ok: true } },
  { name: 'without basic auth and TLS', file: 'web_config_users.good.yml', client: tlsClient, expect: { status: 401 } },
  { name: 'with correct basic auth and TLS', file: 'web_config_users.good.yml', client: { tls: true, user: 'dave', password: 'dave123' }, expect: { ok: true } },
  { name: 'with another correct basic auth and TLS', file: 'web_config_users.good.yml', client: { tls: true, user: 'carol', password: 'carol123' }, expect: { ok: true } },
  { name: 'with bad password and TLS', file: 'web_config_users.good.yml', client: { tls: true, user: 'dave', password: 'bad' }, expect: { status: 401 } },
  { name: 'with bad username and TLS', file: 'web_config_users.good.yml', client: { tls: true, user: 'nonexistent', password: 'nonexistent' }, expect: { status: 401 } },
];

/** The cases served by one muster each (all but the special ones below). */
export const TOOLKIT_CASES: readonly ToolkitCase[] = [
  ...YAML_FILES.map((c): ToolkitCase => ({ test: `TestYAMLFiles/run/${c.name}`, file: c.file, mode: 'start', client: plainClient, expect: 'valid' in c.expect ? { ok: true } : c.expect })),
  ...YAML_FILES.map((c): ToolkitCase => ({ test: `TestYAMLFiles/validate/${c.name}`, file: c.file, mode: 'validate', expect: c.expect })),
  ...SERVER_BEHAVIOUR.map((c): ToolkitCase => ({ test: `TestServerBehaviour/${c.name}`, file: c.file, mode: 'start', client: c.client, expect: c.expect })),
  ...USERS.map((c): ToolkitCase => ({ test: `TestUsers/${c.name}`, file: c.file, mode: 'start', client: c.client, expect: c.expect })),
];

/**
 * The toolkit's tests that drive a server through several steps; the conformance test runs each
 * with its own steps (named here for the count).
 */
export const TOOLKIT_SCENARIOS = {
  /** Starts on the blocking file (a TLS client without a certificate fails), swaps in the good one (it then succeeds). */
  reload: { test: 'TestConfigReloading', files: ['web_config_noAuth.good.blocking.yml', 'web_config_noAuth.good.yml'] },
  /** 150 right and 150 wrong (one wrong password) logins at once: every right one 200, every wrong one 401. */
  authCache: { test: 'TestBasicAuthCache', file: 'web_config_users_noTLS.good.yml' },
  /** An unknown user is refused, with the cache cold and warm. */
  fakePassword: { test: 'TestBasicAuthWithFakepassword', file: 'web_config_users_noTLS.good.yml' },
  /** CVE-2022-46146: a poisoned cache entry must not let a hash-shaped password in. */
  bypass: { test: 'TestByPassBasicAuthVuln', file: 'web_config_users_noTLS.good.yml' },
  /** The configured headers reach the client, `X-XSS-Protection: 1` (a YAML number) as "1". */
  headers: { test: 'TestHTTPHeaders', file: 'web_config_headers.good.yml' },
} as const;

/** TestTLSConfigIsEnabled: whether a tls_server_config turns TLS on (files in IS_ENABLED_FILES). */
export const IS_ENABLED_CASES: readonly { test: string; file: string; enabled: boolean }[] = [
  { test: 'TestTLSConfigIsEnabled/empty config', file: 'is-enabled: empty config', enabled: false },
  { test: 'TestTLSConfigIsEnabled/only non-enabling fields set', file: 'is-enabled: only non-enabling fields set', enabled: false },
  { test: 'TestTLSConfigIsEnabled/cert_file and key_file set', file: 'is-enabled: cert_file and key_file set', enabled: true },
  { test: 'TestTLSConfigIsEnabled/inline cert and key set', file: 'is-enabled: inline cert and key set', enabled: true },
  { test: 'TestTLSConfigIsEnabled/only client CA file set', file: 'is-enabled: only client CA file set', enabled: true },
  { test: 'TestTLSConfigIsEnabled/only client auth type set', file: 'is-enabled: only client auth type set', enabled: true },
];
