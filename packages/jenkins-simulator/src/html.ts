/**
 * The HTML pages Jenkins (and the Jetty inside it) answers with when it does not answer JSON.
 *
 * @packageDocumentation
 */

/** Escape text for HTML. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Jetty's error page (what Jenkins serves for 404s, 401s and `sendError`). */
export function jettyErrorPage(status: number, uri: string, message = REASONS[status] ?? 'Error'): string {
  const m = escapeHtml(message);
  return `<html>
<head>
<meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>
<title>Error ${status} ${m}</title>
</head>
<body>
<h2>HTTP ERROR ${status} ${m}</h2>
<table>
<tr><th>URI:</th><td>${escapeHtml(uri)}</td></tr>
<tr><th>STATUS:</th><td>${status}</td></tr>
<tr><th>MESSAGE:</th><td>${m}</td></tr>
<tr><th>SERVLET:</th><td>Stapler</td></tr>
</table>
<hr/><a href="https://jetty.org/">Powered by Jetty:// 12.0.16</a><hr/>

</body>
</html>
`;
}

/** Jenkins' answer to an anonymous request when anonymous users lack Overall/Read (HTTP 403). */
export function authenticationRequiredPage(loginPath: string, from: string): string {
  const target = `${loginPath}?from=${encodeURIComponent(from)}`;
  return `<html><head><meta http-equiv='refresh' content='1;url=${escapeHtml(target)}'/><script id='redirect' data-redirect-url='${escapeHtml(target)}' src='/static/redirect.js'></script></head><body style='background-color:white; color:white;'>
Authentication required
<!--
You are authenticated as: anonymous
Groups that you are in:
  
Permission you need to have (but didn't): hudson.model.Hudson.Read
 ... which is implied by: hudson.security.Permission.GenericRead
 ... which is implied by: hudson.model.Hudson.Administer
-->

</body></html>
`;
}

/** The "Oops!" page Jenkins renders for an exception (HTTP 500). */
export function oopsPage(message: string): string {
  return `<!DOCTYPE html><html class=""><head><title>Jenkins [Jenkins]</title></head><body id="jenkins">
<div id="main-panel"><h1>Oops!</h1>
<div id="error-description"><h2>A problem occurred while processing the request</h2>
<p>Logging ID=00000000-0000-0000-0000-000000000000</p></div>
<pre>jakarta.servlet.ServletException: ${escapeHtml(message)}</pre>
</div></body></html>
`;
}

/** The login form, served with HTTP 200 by the `htmlLogin` fault (e.g. an SSO proxy in front of Jenkins). */
export function loginPage(from: string): string {
  return `<!DOCTYPE html><html><head><title>Sign in [Jenkins]</title></head><body>
<div class="simple-page"><h1>Sign in to Jenkins</h1>
<form method="post" name="login" action="j_spring_security_check">
<input name="j_username" id="j_username" placeholder="Username" type="text"/>
<input name="j_password" id="j_password" placeholder="Password" type="password"/>
<input name="from" type="hidden" value="${escapeHtml(from)}"/>
<button type="submit" name="Submit">Sign in</button>
</form></div></body></html>
`;
}

/** A minimal dashboard page for HTML (non-API) URLs of existing objects. */
export function dashboardPage(title: string, version: string): string {
  return `<!DOCTYPE html><html><head><title>${escapeHtml(title)} [Jenkins]</title></head><body id="jenkins" data-version="${escapeHtml(version)}">
<div id="main-panel"><h1>${escapeHtml(title)}</h1></div></body></html>
`;
}
