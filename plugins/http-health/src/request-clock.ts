import type { ClientRequest, IncomingMessage } from 'node:http';

/** What {@link RequestClock} listens to: got's request stream (it emits each `ClientRequest` it sends). */
interface RequestEvents {
  on(event: 'request', listener: (request: ClientRequest) => void): unknown;
}

/**
 * Times a check as the network saw it: from the moment the first request is handed to Node's
 * HTTP client (its connection starts then) to the moment the last byte of the final response's
 * body has arrived. Redirects are inside the span (each hop is a new request of the same check).
 * The client's own work before the request exists (got normalising its options) and after the
 * body arrived (reading it out of got's stream, judging it) is muster's, not the backend's, and
 * is left out; a slow backend (connect, headers, body) is all inside.
 */
export class RequestClock {
  #start: number | undefined;
  #end: number | undefined;
  /** The request of the latest hop. */
  #last: ClientRequest | undefined;

  /** Starts listening to `stream`'s requests; call before the first request is sent. */
  constructor(stream: RequestEvents) {
    stream.on('request', (request: ClientRequest) => {
      this.#start ??= performance.now();
      // A later hop's response replaces an earlier one's end.
      this.#end = undefined;
      this.#last = request;
      request.once('response', (response: IncomingMessage) => {
        response.once('end', () => {
          // An earlier hop's body (a redirect's, drained meanwhile) may end while a later hop is
          // read: only the latest request's body ends the span.
          if (this.#last === request) this.#end = performance.now();
        });
      });
    });
  }

  /**
   * Seconds from the first request to the end of the final response body; when that body did not
   * end (the check stopped reading it, at its size limit) or no request was seen, up to `now`.
   */
  seconds(now = performance.now()): number | undefined {
    if (this.#start === undefined) return undefined;
    return ((this.#end ?? now) - this.#start) / 1000;
  }
}
