/**
 * The web config files of the Prometheus exporter-toolkit's tests (`web/testdata/*.yml` in
 * prometheus/exporter-toolkit), rewritten here with the same keys and values. Certificates are
 * not copied: `{{server.crt}}` and `{{server.key}}` stand for the PEM text of the certificates
 * made at test time (see fixture-certs.ts), indented as a YAML block.
 */
export const TOOLKIT_FILES: Readonly<Record<string, string>> = {
  'tls_config_noAuth.requireandverifyclientcert.good.yml': `tls_server_config:
  cert_file: "server.crt"
  key_file: "server.key"
  client_auth_type: "RequireAndVerifyClientCert"
  client_ca_file: "client_selfsigned.pem"
`,
  'tls_config_noAuth.requireanyclientcert.good.yml': `tls_server_config:
  cert_file: "server.crt"
  key_file: "server.key"
  client_auth_type: "RequireAnyClientCert"
`,
  'tls_config_noAuth.requireanyclientcertkeyinline.good.yml': `tls_server_config:
  cert_file: "server.crt"
  key: |
{{server.key}}
  client_auth_type: "RequireAnyClientCert"
`,
  'web_config_auth_clientCAs_invalid.bad.yml': `tls_server_config:
  cert_file: "server.crt"
  key_file: "server.key"
  client_ca_file: "somefile"
`,
  'web_config_auth_clientCAs_missing.bad.yml': `tls_server_config:
  cert_file: "server.crt"
  key_file: "server.key"
  client_auth_type: "RequireAndVerifyClientCert"
`,
  'web_config_auth_user_list_invalid.bad.yml': `tls_server_config:
  cert_file: "server.crt"
  key_file: "server.key"
basic_auth_users:
  john: doe
`,
  'web_config_empty.yml': '',
  'web_config_headers.good.yml': `http_server_config:
  headers:
    X-Frame-Options: deny
    Strict-Transport-Security: max-age=31536000; includeSubDomains
    X-Content-Type-Options: nosniff
    X-XSS-Protection: 1
    Content-Security-Policy: "default-src 'self' *.test.example.net"
`,
  'web_config_headers_content_type_options.bad.yml': `http_server_config:
  headers:
    X-Content-Type-Options: sniff
`,
  'web_config_headers_extra_header.bad.yml': `http_server_config:
  headers:
    Content-Type: foo
`,
  'web_config_headers_frame_options.bad.yml': `http_server_config:
  headers:
    X-Frame-Options: foo
`,
  // Twenty lines of random letters: one YAML string, not a mapping.
  'web_config_junk.yml': `hWkNKCp3fvIx3jKnsaBI
TuEjdwNS8A2vYdFbiKqr
ay3RiOtykgt4m6m3KOol
ZreGpJRGmpDSVV9cioiF
r7kDOHhHU2frvv0nLcY2
uQMQM4XgqFkCG6gFAIJZ
g99tTkrZhN9b6pkJ6J2y
rzdt729HrA2RblDGYfjs
MW7GxrBdlCnliYJGPhfr
g9kaXxMXcDwsw0C0rv0u
637ZmfRGElb6VBVOtgqn
RG0MRezjLYCJQBMUdRDE
RzO4VicAzj7asVZAT3oo
nPw267UONk7h7KBYRgch
Alj38foWqjV3heXXdahm
TrMzMgl6JIQ1x4OZB5i4
qlrXFJoeV6Pr77nuiEh9
3yE5vMnnKHm2nImEfzMG
bI01UDObHRSaoJLC0vTD
G9tlcKU883NkQ6nsxJ8Y
`,
  'web_config_junk_key.yml': `tls_server_config:
  cert_filse: "server.crt"
`,
  'web_config_noAuth.bad.yml': `tls_server_config:
  cert_file: "server.crt"
  key_file: "server.key"
  client_ca_file: "/dev/null"
`,
  'web_config_noAuth.good.blocking.yml': `tls_server_config:
  cert_file: "server.crt"
  key_file: "server.key"
  client_auth_type: "RequireAndVerifyClientCert"
`,
  'web_config_noAuth.good.yml': `tls_server_config:
  cert_file: "server.crt"
  key_file: "server.key"
  client_auth_type: "VerifyClientCertIfGiven"
`,
  'web_config_noAuth_allCiphers.good.yml': `tls_server_config:
  cert_file: "server.crt"
  key_file: "server.key"
  client_auth_type: "VerifyClientCertIfGiven"
  cipher_suites:
  - TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
  - TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
  - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
  - TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
  - TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
  - TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
  - TLS_AES_128_GCM_SHA256
  - TLS_AES_256_GCM_SHA384
  - TLS_CHACHA20_POLY1305_SHA256
  - TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA
  - TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA
  - TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
  - TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA
`,
  'web_config_noAuth_allCurves.good.yml': `tls_server_config:
  cert_file: "server.crt"
  key_file: "server.key"
  client_auth_type: "VerifyClientCertIfGiven"
  curve_preferences:
    - CurveP256
    - CurveP384
    - CurveP521
    - X25519
`,
  'web_config_noAuth_certPath_empty.bad.yml': `tls_server_config:
  cert_file: ""
  key_file: "server.key"
`,
  'web_config_noAuth_certPath_invalid.bad.yml': `tls_server_config:
  cert_file: "somefile"
  key_file: "server.key"
`,
  'web_config_noAuth_certPath_keyPath_empty.bad.yml': `tls_server_config:
  cert_file: ""
  key_file: ""
  client_auth_type: "x"
`,
  'web_config_noAuth_certPath_keyPath_invalid.bad.yml': `tls_server_config:
  cert_file: "somefile"
  key_file: "somefile"
`,
  'web_config_noAuth_cert_empty.bad.yml': `tls_server_config:
  cert: ""
  key_file: "server.key"
`,
  'web_config_noAuth_inventedCiphers.bad.yml': `tls_server_config:
  cert_file: "server.crt"
  key_file: "server.key"
  client_auth_type: "VerifyClientCertIfGiven"
  cipher_suites:
  - TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA2048
`,
  'web_config_noAuth_inventedCurves.bad.yml': `tls_server_config:
  cert_file: "server.crt"
  key_file: "server.key"
  client_auth_type: "VerifyClientCertIfGiven"
  curve_preferences:
    - CurveP257
`,
  'web_config_noAuth_keyPath_empty.bad.yml': `tls_server_config:
  cert_file: "server.crt"
  key_file: ""
`,
  'web_config_noAuth_keyPath_invalid.bad.yml': `tls_server_config:
  cert_file: "server.cert"
  key_file: "somefile"
`,
  'web_config_noAuth_key_empty.bad.yml': `tls_server_config:
  cert_file: "server.crt"
  key: ""
`,
  'web_config_noAuth_noHTTP2.good.yml': `tls_server_config:
  cert_file: "server.crt"
  key_file: "server.key"
  client_auth_type: "VerifyClientCertIfGiven"
  cipher_suites:
    - TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
  max_version: TLS12
http_server_config:
  http2: false
`,
  'web_config_noAuth_noHTTP2Cipher.bad.yml': `tls_server_config:
  cert_file: "server.crt"
  key_file: "server.key"
  client_auth_type: "VerifyClientCertIfGiven"
  cipher_suites:
    - TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
  max_version: TLS12
`,
  'web_config_noAuth_someCiphers.good.yml': `tls_server_config:
  cert_file: "server.crt"
  key_file: "server.key"
  client_auth_type: "VerifyClientCertIfGiven"
  cipher_suites:
  - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
  - TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
  min_version: TLS12
  max_version: TLS12
`,
  'web_config_noAuth_someCiphers_noOrder.good.yml': `tls_server_config:
  cert_file: "server.crt"
  key_file: "server.key"
  client_auth_type: "VerifyClientCertIfGiven"
  cipher_suites:
  - TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
  - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
  prefer_server_cipher_suites: false
  min_version: TLS12
  max_version: TLS12
`,
  'web_config_noAuth_someCurves.good.yml': `tls_server_config:
  cert_file: "server.crt"
  key_file: "server.key"
  client_auth_type: "VerifyClientCertIfGiven"
  min_version: TLS13
  curve_preferences:
  - CurveP521
`,
  'web_config_noAuth_tlsInline.good.yml': `tls_server_config:
  cert: |
{{server.crt}}
  key: |
{{server.key}}
  client_auth_type: "VerifyClientCertIfGiven"
`,
  'web_config_noAuth_wrongTLSVersion.bad.yml': `tls_server_config:
  cert_file: "server.crt"
  key_file: "server.key"
  client_auth_type: "VerifyClientCertIfGiven"
  min_version: TLS111
`,
  // The toolkit's users: alice123, bob123, carol123, dave123 hashed with bcrypt (costs 12, 18, 10, 10).
  'web_config_users.good.yml': `tls_server_config:
  cert_file: "server.crt"
  key_file: "server.key"
basic_auth_users:
  alice: $2y$12$1DpfPeqF9HzHJt.EWswy1exHluGfbhnn3yXhR7Xes6m3WJqFg0Wby
  bob: $2y$18$4VeFDzXIoPHKnKTU3O3GH.N.vZu06CVqczYZ8WvfzrddFU6tGqjR.
  carol: $2y$10$qRTBuFoULoYNA7AQ/F3ck.trZBPyjV64.oA4ZsSBCIWvXuvQlQTuu
  dave: $2y$10$2UXri9cIDdgeKjBo4Rlpx.U3ZLDV8X1IxKmsfOvhcM5oXQt/mLmXq
`,
  'web_config_users_noTLS.good.yml': `basic_auth_users:
  alice: $2y$12$1DpfPeqF9HzHJt.EWswy1exHluGfbhnn3yXhR7Xes6m3WJqFg0Wby
  bob: $2y$18$4VeFDzXIoPHKnKTU3O3GH.N.vZu06CVqczYZ8WvfzrddFU6tGqjR.
  carol: $2y$10$qRTBuFoULoYNA7AQ/F3ck.trZBPyjV64.oA4ZsSBCIWvXuvQlQTuu
  dave: $2y$10$2UXri9cIDdgeKjBo4Rlpx.U3ZLDV8X1IxKmsfOvhcM5oXQt/mLmXq
`,
  'web_config_auth_client_san.bad.yaml': `tls_server_config:
  cert_file: "server.crt"
  key_file: "server.key"
  client_auth_type: "RequireAndVerifyClientCert"
  client_ca_file: "client2_selfsigned.pem"
  client_allowed_sans:
    - "bad"
`,
  'web_config_auth_client_san.good.yaml': `tls_server_config:
  cert_file: "server.crt"
  key_file: "server.key"
  client_auth_type: "RequireAndVerifyClientCert"
  client_ca_file: "client2_selfsigned.pem"
  client_allowed_sans:
    - "one"
    - "test3"
    - "two"
`,
  'web_config_rate_limiter_nonblocking.yaml': `rate_limit:
  interval: 0
  burst: 0
`,
  'web_config_rate_limiter_one_second.yaml': `rate_limit:
  interval: "1s"
  burst: 0
`,
};

/** The bodies of `TestTLSConfigIsEnabled`'s TLSConfig structs, written as web config files. */
export const IS_ENABLED_FILES: Readonly<Record<string, string>> = {
  'is-enabled: empty config': 'tls_server_config: {}\n',
  'is-enabled: only non-enabling fields set': 'tls_server_config:\n  min_version: TLS12\n  prefer_server_cipher_suites: true\n',
  'is-enabled: cert_file and key_file set': 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n',
  'is-enabled: inline cert and key set': 'tls_server_config:\n  cert: |\n{{server.crt}}\n  key: |\n{{server.key}}\n',
  'is-enabled: only client CA file set': 'tls_server_config:\n  client_ca_file: client_ca.crt\n',
  'is-enabled: only client auth type set': 'tls_server_config:\n  client_auth_type: RequireAndVerifyClientCert\n',
};
