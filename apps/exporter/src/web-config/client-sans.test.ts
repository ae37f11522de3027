import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { it } from 'node:test';
import { toolSkip } from '@muster/testing';
import { certificateSans, hasAllowedSan } from './client-sans.js';

it('matches client_allowed_sans exactly against DNS, IP, e-mail and URI names', { skip: toolSkip('openssl') }, () => {
  const pem = execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', '/dev/null', '-subj', '/CN=c', '-days', '1',
      '-addext', 'subjectAltName=DNS:scraper.example,IP:10.0.0.1,IP:::1,email:ops@example.org,URI:spiffe://cluster/ns/monitoring'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const cert = new X509Certificate(pem);
  assert.deepEqual(certificateSans(cert), ['scraper.example', '10.0.0.1', '0:0:0:0:0:0:0:1', 'ops@example.org', 'spiffe://cluster/ns/monitoring']);
  for (const allowed of ['scraper.example', '10.0.0.1', '::1', '0::1', 'ops@example.org', 'spiffe://cluster/ns/monitoring']) {
    assert.ok(hasAllowedSan(cert, [allowed]), allowed);
  }
  for (const refused of ['*.example', 'example', '10.0.0.2', 'c', 'spiffe://cluster']) assert.ok(!hasAllowedSan(cert, [refused]), refused);
});
