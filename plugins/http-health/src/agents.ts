import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

/** The HTTP and HTTPS agents every check of this plugin sends through. */
export interface Agents {
  readonly http: HttpAgent;
  readonly https: HttpsAgent;
}

let shared: Agents | undefined;

/**
 * One pair of agents for every instance of the plugin, created at first use. No keep-alive:
 * every check opens its own connection, so DNS, connect and TLS are checked (and timed) each
 * time, and an agent holds no socket between checks, which is what makes sharing it free. A
 * request cut at its deadline destroys its own socket; the agents are never destroyed.
 */
export function sharedAgents(): Agents {
  shared ??= { http: new HttpAgent({ keepAlive: false }), https: new HttpsAgent({ keepAlive: false }) };
  return shared;
}
