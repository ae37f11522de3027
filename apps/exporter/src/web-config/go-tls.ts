/**
 * The names a web config uses for TLS settings are Go's (`crypto/tls`), as in the Prometheus
 * exporter-toolkit. This file maps each to what Node's TLS (OpenSSL) calls it.
 */

/**
 * Go's cipher suite names for TLS 1.0–1.2 (those `tls.CipherSuites()` returns: RSA key exchange,
 * 3DES and RC4 are in Go's insecure list, which the toolkit refuses) and the OpenSSL name of each.
 * A name not listed here is refused, as Go refuses it.
 */
export const TLS12_CIPHERS: Readonly<Record<string, string>> = {
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 'ECDHE-ECDSA-AES128-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 'ECDHE-ECDSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'ECDHE-RSA-AES128-SHA',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'ECDHE-RSA-AES256-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
};

/**
 * Go's TLS 1.3 suites. Go accepts their names in `cipher_suites` but never lets them be
 * configured: TLS 1.3 always offers all three, and so does muster.
 */
export const TLS13_CIPHERS: readonly string[] = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];

/** Go's default TLS 1.2 suites (ECDHE only, AEAD first), used when `cipher_suites` is not set. */
export const DEFAULT_TLS12_CIPHERS: readonly string[] = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
];

/**
 * The suites Go's HTTP/2 server requires when a TLS 1.2 cipher list is configured and HTTP/2
 * is on (`http2: true`, the default): without one of them the toolkit does not start.
 */
export const HTTP2_REQUIRED_CIPHERS: readonly string[] = ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'];

/** The curve names the toolkit accepts in `curve_preferences`, with OpenSSL's group names. */
export const CURVES: Readonly<Record<string, string>> = {
  CurveP256: 'P-256',
  CurveP384: 'P-384',
  CurveP521: 'P-521',
  X25519: 'X25519',
};

/** Go's default key-exchange groups (without the post-quantum hybrid, which OpenSSL 3.0 lacks). */
export const DEFAULT_CURVES: readonly string[] = ['X25519', 'CurveP256', 'CurveP384', 'CurveP521'];

/** TLS versions as the toolkit names them, with Node's names. */
export const TLS_VERSIONS = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' } as const;
export type TlsVersionName = keyof typeof TLS_VERSIONS;
export type NodeTlsVersion = (typeof TLS_VERSIONS)[TlsVersionName];

/** Client certificate policies (Go's `tls.ClientAuthType` names; `RequireClientCert` is an old alias). */
export const CLIENT_AUTH_TYPES = ['NoClientCert', 'RequestClientCert', 'RequireAnyClientCert', 'VerifyClientCertIfGiven', 'RequireAndVerifyClientCert'] as const;
export type ClientAuthType = (typeof CLIENT_AUTH_TYPES)[number];

/** The policy a `client_auth_type` value names; undefined when it names none. Empty means none. */
export function clientAuthType(value: string): ClientAuthType | undefined {
  if (value === '') return 'NoClientCert';
  if (value === 'RequireClientCert') return 'RequireAnyClientCert';
  return (CLIENT_AUTH_TYPES as readonly string[]).includes(value) ? (value as ClientAuthType) : undefined;
}
