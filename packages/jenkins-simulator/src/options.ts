/**
 * What a simulated Jenkins is given (its tree, auth, crumbs, faults) and what it offers a test
 * (its URL, request log, and calls that change the tree while it runs).
 */
import type { GenerateOptions } from './generate.js';
import type { BallColor, SimBuild, SimComputer, SimItem, SimQueueItem, SimStats } from './types.js';

/** Basic-auth credentials the simulator accepts (a user and one of its API tokens). */
export interface SimAuth {
  username: string;
  token: string;
  /**
   * Let anonymous requests read (Jenkins' "Allow anonymous read access"). Default false:
   * anonymous requests get 403 "Authentication required", as with Jenkins' default
   * "Logged-in users can do anything".
   */
  anonymousRead?: boolean;
}

/**
 * Faults applied to incoming requests, in this order: `hang`, `latencyMs`, `status`,
 * `htmlLogin`; then the normal answer, corrupted by `malformedJson` and/or `truncate`.
 */
export interface SimFaults {
  /** Wait this long before answering (or before applying the other faults). */
  latencyMs?: number;
  /** Answer with this status (e.g. 500, 502, 503) and a Jetty error page instead of the real answer. */
  status?: number;
  /** Answer 200 with Jenkins' HTML login page (what a misconfigured proxy or SSO returns). */
  htmlLogin?: boolean;
  /** Answer 200 with `application/json` but a body that is not valid JSON. */
  malformedJson?: boolean;
  /** Accept the request and never answer; the socket stays open until `close()`. */
  hang?: boolean;
  /** Send the headers (with the full Content-Length) and half the body, then cut the connection. */
  truncate?: boolean;
  /** Only requests whose path below the simulator prefix starts with this (e.g. `/job/a/`, `/queue/`). */
  pathPrefix?: string;
  /** Only the next N matching requests; then the faults clear themselves. */
  times?: number;
}

/** One request as the simulator saw it. */
export interface SimRequest {
  method: string;
  /** Path below the prefix, still percent-encoded (`/job/a%20b/api/json`). */
  path: string;
  /** Decoded query parameters (first value of each). */
  query: Record<string, string>;
  /** The raw request target (`/jenkins/api/json?tree=jobs%5Bname%5D`). */
  url: string;
  /** User name from a valid Authorization header, else null. */
  user: string | null;
  /** Epoch ms when the request arrived. */
  at: number;
  /** Status sent, once the answer has been sent (undefined for hung or cut requests). */
  status?: number;
}

/** Options of {@link startJenkinsSimulator}. Give at most one of `tree`, `generate`, `json`. */
export interface JenkinsSimulatorOptions {
  /** The items at the root. */
  tree?: SimItem[];
  /** Generate a large deterministic tree (see `generateTree`). */
  generate?: GenerateOptions;
  /** A captured Jenkins root response to replay (see `itemsFromJenkinsJson`). */
  json?: unknown;
  /** Require Basic auth with this user and API token. Default: security off, anyone reads. */
  auth?: SimAuth;
  /** Serve `/crumbIssuer/api/json` and require the crumb on anonymous non-GET requests. Default false. */
  crumbs?: boolean;
  /** Serve under a context path such as `/jenkins`. Default none. */
  prefix?: string;
  /** `X-Jenkins` header value. Default `2.479.3`. */
  version?: string;
  /** Listen address. Default `127.0.0.1`. */
  host?: string;
  /** Listen port. Default 0 (a free port). */
  port?: number;
  /** Initial build queue. */
  queue?: SimQueueItem[];
  /** Initial nodes. Default: the built-in node with 2 idle executors. */
  computers?: SimComputer[];
  /** Gzip responses when the client accepts it, as Jenkins does. Default true. */
  gzip?: boolean;
  /** Initial faults. */
  faults?: SimFaults;
  /** Keep at most this many entries in `requests` (the count keeps going). Default 100 000. */
  maxLoggedRequests?: number;
}

/** A running simulator. */
export interface JenkinsSimulator {
  /** Base URL with the prefix, ending with `/` (`http://127.0.0.1:41234/jenkins/`). */
  readonly url: string;
  /** Listening port. */
  readonly port: number;
  /** `X-Jenkins` version served. */
  readonly version: string;
  /** The crumb `/crumbIssuer/api/json` hands out. */
  readonly crumb: string;
  /** Requests seen since start or the last {@link JenkinsSimulator.resetRequests} (newest last). */
  readonly requests: readonly SimRequest[];
  /** Number of requests since start or the last reset (keeps counting past the log limit). */
  readonly requestCount: number;
  /** Forget the request log and reset the count. */
  resetRequests(): void;
  /** Current faults; assign a new object, or mutate this one. `{}` means none. */
  faults: SimFaults;
  /** The build queue. Assign to replace; defaults are filled in. */
  queue: readonly SimQueueItem[];
  /** The nodes. Assign to replace. */
  computers: readonly SimComputer[];
  /** Replace the whole tree. */
  setTree(items: SimItem[]): void;
  /** Add an item (and its children) to the container `parentFullName` (`''` for the root). */
  addJob(parentFullName: string, item: SimItem): void;
  /** Delete an item (job or folder, with everything below it). Throws when it does not exist. */
  deleteJob(fullName: string): void;
  /** Set a job's color (`undefined` to derive it from builds again). */
  setColor(fullName: string, color: BallColor | undefined): void;
  /** Add (or replace, by number) a build of a job. */
  addBuild(fullName: string, build: SimBuild): void;
  /** Absolute URL of an item (`<base>job/a/job/b/`), encoded as Jenkins encodes it. */
  jobUrl(fullName: string): string;
  /** Counts over the current tree. */
  stats(): SimStats;
  /** Stop: close the server and destroy every socket, hung ones included. */
  close(): Promise<void>;
}
