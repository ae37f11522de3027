import { isIP } from 'node:net';
import type { X509Certificate } from 'node:crypto';

/**
 * The Subject Alternative Names of a certificate, as the exporter-toolkit compares them with
 * `client_allowed_sans`: DNS names, e-mail addresses, IP addresses and URIs, each as written.
 */
export function certificateSans(cert: X509Certificate): string[] {
  const text = cert.subjectAltName;
  if (text === undefined) return [];
  const out: string[] = [];
  // Node writes `DNS:a, IP Address:1.2.3.4`; values with commas or quotes come JSON-quoted.
  for (const m of text.matchAll(/(DNS|IP Address|email|URI):("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/g)) {
    const raw = m[2] as string;
    const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    out.push(m[1] === 'IP Address' ? canonicalIp(value) : value);
  }
  return out;
}

/** True when `cert` carries one of `allowed` exactly (no wildcards, as in the toolkit). */
export function hasAllowedSan(cert: X509Certificate, allowed: readonly string[]): boolean {
  const wanted = new Set(allowed.map((s) => (isIP(s) !== 0 ? canonicalIp(s) : s)));
  return certificateSans(cert).some((san) => wanted.has(san));
}

/** One spelling per IP address: IPv6 expanded to eight lowercase groups without leading zeros. */
function canonicalIp(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  const [head = '', tail] = ip.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const last = right.length > 0 ? right : left;
  // An embedded IPv4 tail (::ffff:1.2.3.4) counts as two groups.
  const v4 = last.at(-1)?.includes('.') ? (last.pop() as string).split('.').map(Number) : undefined;
  if (v4 !== undefined) last.push(((v4[0] ?? 0) * 256 + (v4[1] ?? 0)).toString(16), ((v4[2] ?? 0) * 256 + (v4[3] ?? 0)).toString(16));
  const fill = tail === undefined ? [] : Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...fill, ...right].map((g) => Number.parseInt(g, 16).toString(16)).join(':');
}
