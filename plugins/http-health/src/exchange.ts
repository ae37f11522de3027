import { type Agent as HttpAgent, request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { type Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { checkError, type Hop } from './hop.js';

/** How a check reaches its target: the plugin's shared agents and the instance's TLS settings. */
export interface Transport {
  readonly agents: { readonly http: HttpAgent; readonly https: HttpsAgent };
  readonly ca: string | undefined;
  readonly insecureSkipVerify: boolean;
}

/**
 * Sends one hop with Node's HTTP client and resolves with its response once the status line and
 * headers have arrived; the body is the caller's to read or destroy. Rejects with the
 * transport's error (refused, DNS, TLS, reset, a header value Node refuses) or, when `signal`
 * fires, with an `AbortError` whose cause is the signal's reason. Credentials in the URL
 * (`https://user:pass@host/`) are sent as basic auth, percent-decoded.
 */
export function exchange(hop: Hop, transport: Transport, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const secure = hop.url.protocol === 'https:';
    const options: RequestOptions & { ca?: string; rejectUnauthorized?: boolean } = {
      method: hop.method,
      headers: hop.headers,
      agent: secure ? transport.agents.https : transport.agents.http,
      signal,
    };
    if (secure) {
      options.rejectUnauthorized = !transport.insecureSkipVerify;
      if (transport.ca !== undefined) options.ca = transport.ca;
    }
    const request = (secure ? httpsRequest : httpRequest)(hop.url, options, resolve);
    // Kept for the request's whole life: an error after the response (a reset while the body is
    // read) must find a listener; the body's reader sees it on the response.
    request.on('error', reject);
    // A 101 answer hands the socket to an 'upgrade' listener, or Node destroys it with no error
    // and no response: either way a check has nothing to read. Closed before any response for any
    // other reason, the promise must settle too (later, this reject does nothing).
    request.on('upgrade', (_response, socket) => {
      socket.destroy();
      reject(checkError('ERR_UNEXPECTED_UPGRADE', 'status 101: the server switched protocols'));
    });
    request.on('close', () => reject(checkError('ERR_NO_RESPONSE', 'the connection closed without a response')));
    request.end(hop.body);
  });
}
