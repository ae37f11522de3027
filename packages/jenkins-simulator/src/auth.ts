/**
 * Authentication and CSRF crumbs, as Jenkins checks them.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { authenticationRequiredPage, jettyErrorPage } from './html.js';
import type { SimAuth } from './options.js';
import type { Answer } from './respond.js';

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Basic auth with a user's API token, as Jenkins answers it: 403 without credentials (unless reads are anonymous), 401 for wrong ones. */
export function authenticate(auth: SimAuth | undefined, prefix: string, req: IncomingMessage, path: string): { user: string | null } | Answer {
  const header = req.headers.authorization;
  const basic = header?.match(/^Basic\s+(\S+)\s*$/i);
  if (!auth) return { user: null };
  if (!basic) {
    if (auth.anonymousRead) return { user: null };
    return {
      status: 403,
      type: 'html',
      body: authenticationRequiredPage(`${prefix}/login`, path),
      headers: {
        'X-You-Are-Authenticated-As': 'anonymous',
        'X-You-Are-In-Group-Disabled':
          'JENKINS-39402: use -Dhudson.security.AccessDeniedException2.REPORT_GROUP_HEADERS=true or use /whoAmI to diagnose',
        'X-Required-Permission': 'hudson.model.Hudson.Read',
        'X-Permission-Implied-By': ['hudson.security.Permission.GenericRead', 'hudson.model.Hudson.Administer'],
      },
    };
  }
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon >= 0 ? decoded.slice(0, colon) : decoded;
  const token = colon >= 0 ? decoded.slice(colon + 1) : '';
  if (colon >= 0 && safeEqual(user, auth.username) && safeEqual(token, auth.token)) return { user };
  const message = `Invalid password/token for user: ${user}`;
  return {
    status: 401,
    type: 'html',
    body: jettyErrorPage(401, `${prefix}${path}`, message),
    headers: { 'WWW-Authenticate': 'Basic realm="Jenkins"' },
  };
}

/** CSRF protection: API-token requests are exempt, as in Jenkins; others need the crumb. */
export function checkCrumb(crumbs: boolean, crumb: string, req: IncomingMessage, user: string | null, uri: string): Answer | undefined {
  if (!crumbs || user !== null) return undefined;
  if (req.headers['jenkins-crumb'] === crumb) return undefined;
  return {
    status: 403,
    type: 'html',
    body: jettyErrorPage(403, uri, 'No valid crumb was included in the request'),
  };
}
