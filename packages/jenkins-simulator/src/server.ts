/**
 * The HTTP server: routing, authentication, crumbs, faults and the request log.
 *
 * @packageDocumentation
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import {
  buildBean,
  computerBean,
  computerSetBean,
  computerUrlName,
  crumbBean,
  itemBean,
  type QueueEntry,
  queueBean,
  queueItemBean,
  rootBean,
  type SimContext,
} from './beans.js';
import { rawEncode } from './encode.js';
import { type Bean, DepthPruner, exportBean, NamedPruner, type Pruner, toJenkinsJson } from './export.js';
import { type GenerateOptions, generateTree } from './generate.js';
import {
  authenticationRequiredPage,
  dashboardPage,
  jettyErrorPage,
  loginPage,
  oopsPage,
} from './html.js';
import { itemsFromJenkinsJson } from './replay.js';
import { type Build, type ItemNode, Store } from './store.js';
import { parseTree, TreeSyntaxError } from './tree.js';
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

interface Answer {
  status: number;
  body: string;
  type: 'json' | 'html';
  headers?: Record<string, string | string[]>;
}

const BUILD_PERMALINKS: Record<string, (n: ItemNode) => Build | undefined> = {
  lastBuild: (n) => n.builds[0],
  lastCompletedBuild: (n) => n.lastCompletedBuild,
  lastFailedBuild: (n) => n.lastWhere((r) => r === 'FAILURE'),
  lastStableBuild: (n) => n.lastWhere((r) => r === 'SUCCESS'),
  lastSuccessfulBuild: (n) => n.lastWhere((r) => r === 'SUCCESS' || r === 'UNSTABLE'),
  lastUnstableBuild: (n) => n.lastWhere((r) => r === 'UNSTABLE'),
  lastUnsuccessfulBuild: (n) => n.lastWhere((r) => r !== 'SUCCESS'),
};

const DEFAULT_COMPUTERS: SimComputer[] = [{ name: 'Built-In Node', builtIn: true, numExecutors: 2 }];

function normalizePrefix(prefix: string | undefined): string {
  if (!prefix || prefix === '/') return '';
  const p = `/${prefix.replace(/^\/+|\/+$/g, '')}`;
  if (/[?#]/.test(p)) throw new TypeError('prefix must be a plain path such as /jenkins');
  return p;
}

function initialItems(o: JenkinsSimulatorOptions): SimItem[] {
  const given = [o.tree, o.generate, o.json].filter((x) => x !== undefined).length;
  if (given > 1) throw new TypeError('give at most one of tree, generate and json');
  if (o.generate) return generateTree(o.generate);
  if (o.json !== undefined) return itemsFromJenkinsJson(o.json);
  return o.tree ?? [];
}

function checkComputers(computers: readonly SimComputer[]): SimComputer[] {
  return computers.map((c, i) => {
    if (typeof c?.name !== 'string' || c.name === '') throw new TypeError(`computers[${i}].name must be a non-empty string`);
    if (!Number.isInteger(c.numExecutors) || c.numExecutors < 0) {
      throw new TypeError(`computers[${i}].numExecutors must be a non-negative integer`);
    }
    return { ...c };
  });
}

function defaultWhy(blocked: boolean, buildable: boolean): string {
  if (blocked) return 'Build #1 is already in progress';
  if (buildable) return 'Waiting for next available executor';
  return 'In the quiet period. Expires in 4.9 sec';
}

function normalizeQueue(items: readonly SimQueueItem[]): QueueEntry[] {
  const now = Date.now();
  return items.map((q, i) => {
    if (!Number.isInteger(q?.id)) throw new TypeError(`queue[${i}].id must be an integer`);
    if (typeof q.task !== 'string' || q.task === '') throw new TypeError(`queue[${i}].task must be a job's full name`);
    const blocked = q.blocked ?? false;
    const buildable = q.buildable ?? !blocked;
    return {
      id: q.id,
      task: q.task,
      inQueueSince: q.inQueueSince ?? now,
      why: q.why !== undefined ? q.why : defaultWhy(blocked, buildable),
      stuck: q.stuck ?? false,
      blocked,
      buildable,
      params: q.params ?? '',
    };
  });
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

class Simulator implements JenkinsSimulator {
  readonly version: string;
  readonly crumb = randomBytes(32).toString('hex');
  url = '';
  port = 0;
  faults: SimFaults;
  requestCount = 0;

  private readonly store: Store;
  private readonly server: Server;
  private readonly prefix: string;
  private readonly session = randomBytes(4).toString('hex');
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly log: SimRequest[] = [];
  private readonly maxLogged: number;
  private queueEntries: QueueEntry[] = [];
  private queueByTask = new Map<string, QueueEntry>();
  private nodes: SimComputer[];
  private closed = false;

  constructor(private readonly options: JenkinsSimulatorOptions) {
    this.version = options.version ?? '2.479.3';
    this.prefix = normalizePrefix(options.prefix);
    this.store = new Store(initialItems(options));
    this.faults = { ...options.faults };
    this.nodes = checkComputers(options.computers ?? DEFAULT_COMPUTERS);
    this.queue = options.queue ?? [];
    this.maxLogged = options.maxLoggedRequests ?? 100_000;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent && !this.closed) {
          this.send(req, res, { status: 500, type: 'html', body: oopsPage(String(err)) }, {});
        } else res.destroy();
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  async listen(): Promise<void> {
    const { host = '127.0.0.1', port = 0 } = this.options;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('simulator: unexpected listen address');
    this.port = address.port;
    const h = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.url = `http://${h}:${this.port}${this.prefix}/`;
  }

  // ------------------------------------------------------------ public API

  get requests(): readonly SimRequest[] {
    return this.log;
  }

  resetRequests(): void {
    this.log.length = 0;
    this.requestCount = 0;
  }

  get queue(): readonly SimQueueItem[] {
    return this.queueEntries;
  }

  set queue(items: readonly SimQueueItem[]) {
    this.queueEntries = normalizeQueue(items);
    this.queueByTask = new Map();
    for (const q of this.queueEntries) if (!this.queueByTask.has(q.task)) this.queueByTask.set(q.task, q);
  }

  get computers(): readonly SimComputer[] {
    return this.nodes;
  }

  set computers(computers: readonly SimComputer[]) {
    this.nodes = checkComputers(computers);
  }

  setTree(items: SimItem[]): void {
    this.store.setTree(items);
  }

  addJob(parentFullName: string, item: SimItem): void {
    this.store.add(parentFullName, item);
  }

  deleteJob(fullName: string): void {
    this.store.delete(fullName);
  }

  setColor(fullName: string, color: BallColor | undefined): void {
    this.store.setColor(fullName, color);
  }

  addBuild(fullName: string, build: SimBuild): void {
    this.store.addBuild(fullName, build);
  }

  jobUrl(fullName: string): string {
    return this.url + fullName.split('/').map((s) => `job/${rawEncode(s)}/`).join('');
  }

  stats(): SimStats {
    return this.store.stats();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    for (const s of this.sockets) s.destroy();
    await done;
  }

  // ------------------------------------------------------------ request handling

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const url = new URL(rawUrl, 'http://simulator.invalid');
    const inPrefix = url.pathname === this.prefix || url.pathname.startsWith(`${this.prefix}/`);
    const path = inPrefix ? url.pathname.slice(this.prefix.length) || '/' : url.pathname;
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) if (!(k in query)) query[k] = v;
    const record: SimRequest = { method: req.method ?? 'GET', path, query, url: rawUrl, user: null, at: Date.now() };
    this.requestCount++;
    this.log.push(record);
    if (this.log.length > this.maxLogged) this.log.splice(0, this.log.length - this.maxLogged);
    res.once('finish', () => {
      record.status = res.statusCode;
    });

    const faults = this.takeFaults(path);
    if (faults.hang) return; // keep the socket open; close() destroys it
    if (faults.latencyMs && faults.latencyMs > 0) {
      await this.sleep(faults.latencyMs);
      if (this.closed) return;
    }
    if (faults.status !== undefined) {
      this.send(req, res, { status: faults.status, type: 'html', body: jettyErrorPage(faults.status, url.pathname) }, {});
      return;
    }
    if (faults.htmlLogin) {
      this.send(req, res, { status: 200, type: 'html', body: loginPage(path) }, {});
      return;
    }
    if (!inPrefix) {
      this.send(req, res, { status: 404, type: 'html', body: jettyErrorPage(404, url.pathname) }, faults);
      return;
    }

    const auth = this.authenticate(req, path);
    if ('status' in auth) {
      this.send(req, res, auth, faults);
      return;
    }
    record.user = auth.user;

    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      const csrf = this.checkCrumb(req, auth.user, url.pathname);
      if (csrf) {
        this.send(req, res, csrf, faults);
        return;
      }
    }
    this.send(req, res, this.route(path, url.searchParams, url.pathname), faults);
  }

  /** The faults for this request, consuming one of `times`. */
  private takeFaults(path: string): SimFaults {
    const f = this.faults;
    const active =
      f.hang || f.latencyMs || f.status !== undefined || f.htmlLogin || f.malformedJson || f.truncate;
    if (!active) return {};
    if (f.pathPrefix !== undefined && !path.startsWith(f.pathPrefix)) return {};
    if (f.times !== undefined) {
      if (f.times <= 0) return {};
      f.times--;
      const snapshot = { ...f };
      if (f.times === 0) this.faults = {};
      return snapshot;
    }
    return f;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private authenticate(req: IncomingMessage, path: string): { user: string | null } | Answer {
    const auth = this.options.auth;
    const header = req.headers.authorization;
    const basic = header?.match(/^Basic\s+(\S+)\s*$/i);
    if (!auth) return { user: null };
    if (!basic) {
      if (auth.anonymousRead) return { user: null };
      return {
        status: 403,
        type: 'html',
        body: authenticationRequiredPage(`${this.prefix}/login`, path),
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
      body: jettyErrorPage(401, `${this.prefix}${path}`, message),
      headers: { 'WWW-Authenticate': 'Basic realm="Jenkins"' },
    };
  }

  /** CSRF protection: API-token requests are exempt, as in Jenkins; others need the crumb. */
  private checkCrumb(req: IncomingMessage, user: string | null, uri: string): Answer | undefined {
    if (!this.options.crumbs || user !== null) return undefined;
    if (req.headers['jenkins-crumb'] === this.crumb) return undefined;
    return {
      status: 403,
      type: 'html',
      body: jettyErrorPage(403, uri, 'No valid crumb was included in the request'),
    };
  }

  private context(): SimContext {
    return {
      base: this.url,
      store: this.store,
      queue: this.queueEntries,
      queueByTask: this.queueByTask,
      computers: this.nodes,
      useCrumbs: this.options.crumbs ?? false,
      useSecurity: this.options.auth !== undefined,
      crumb: this.crumb,
    };
  }

  private route(path: string, params: URLSearchParams, uri: string): Answer {
    const notFound = (): Answer => ({ status: 404, type: 'html', body: jettyErrorPage(404, uri) });
    let segs: string[];
    try {
      segs = path.split('/').slice(1).map(decodeURIComponent);
    } catch {
      return { status: 400, type: 'html', body: jettyErrorPage(400, uri, 'Bad Request') };
    }
    if (segs[segs.length - 1] === '') segs.pop();
    const isApi = (rest: string[]) => rest.length === 2 && rest[0] === 'api' && rest[1] === 'json';

    if (segs.length === 0) return this.page('Dashboard');
    if (isApi(segs)) return this.json(rootBean(this.store), params);

    switch (segs[0]) {
      case 'job':
        return this.routeJob(segs, params) ?? notFound();
      case 'queue':
        if (isApi(segs.slice(1))) return this.json(queueBean(this.queueEntries), params);
        if (segs[1] === 'item' && isApi(segs.slice(3))) {
          const q = this.queueEntries.find((e) => String(e.id) === segs[2]);
          return q ? this.json(queueItemBean(q), params) : notFound();
        }
        return notFound();
      case 'computer':
        if (isApi(segs.slice(1))) return this.json(computerSetBean(this.nodes), params);
        if (isApi(segs.slice(2))) {
          const c = this.nodes.find((n) => computerUrlName(n) === segs[1]);
          return c ? this.json(computerBean(c), params) : notFound();
        }
        return notFound();
      case 'crumbIssuer':
        return this.options.crumbs && isApi(segs.slice(1)) ? this.json(crumbBean(this.crumb), params) : notFound();
      default:
        return notFound();
    }
  }

  private routeJob(segs: string[], params: URLSearchParams): Answer | undefined {
    const names: string[] = [];
    let i = 0;
    while (segs[i] === 'job' && i + 1 < segs.length) {
      names.push(segs[i + 1]!);
      i += 2;
    }
    const node = this.store.findPath(names);
    if (!node) return undefined;
    const rest = segs.slice(i);
    if (rest.length === 0) return this.page(node.fullDisplayName);
    if (rest.length === 2 && rest[0] === 'api' && rest[1] === 'json') return this.json(itemBean(node), params);
    if (!node.isJob) return undefined;
    const ref = rest[0]!;
    const build = /^[0-9]+$/.test(ref)
      ? node.builds.find((b) => b.number === Number(ref))
      : BUILD_PERMALINKS[ref]?.(node);
    const bean = buildBean(node, build);
    if (!bean) return undefined;
    if (rest.length === 1) return this.page(`${node.fullDisplayName} #${build!.number}`);
    if (rest.length === 3 && rest[1] === 'api' && rest[2] === 'json') return this.json(bean, params);
    return undefined;
  }

  private page(title: string): Answer {
    return { status: 200, type: 'html', body: dashboardPage(title, this.version) };
  }

  /** Serve a bean as Jenkins' `api/json` does: `tree=` wins over `depth=`; errors are 500s. */
  private json(bean: Bean, params: URLSearchParams): Answer {
    if (params.has('jsonp')) {
      return {
        status: 403,
        type: 'html',
        body: jettyErrorPage(403, '', 'jsonp forbidden; implement jenkins.security.SecureRequester'),
      };
    }
    let pruner: Pruner;
    const tree = params.get('tree');
    if (tree !== null) {
      try {
        pruner = new NamedPruner(parseTree(tree));
      } catch (err) {
        if (!(err instanceof TreeSyntaxError)) throw err;
        const message = `Malformed tree expression: java.lang.IllegalArgumentException: ${err.message}`;
        return { status: 500, type: 'html', body: oopsPage(message) };
      }
    } else {
      const depth = params.get('depth');
      if (depth !== null && !/^[+-]?[0-9]{1,9}$/.test(depth)) {
        return { status: 500, type: 'html', body: oopsPage('Depth parameter must be a number') };
      }
      pruner = DepthPruner.forDepth(depth === null ? 0 : Number(depth));
    }
    const body = toJenkinsJson(exportBean(bean, pruner, this.context()), params.has('pretty'));
    return { status: 200, type: 'json', body };
  }

  private send(req: IncomingMessage, res: ServerResponse, answer: Answer, faults: SimFaults): void {
    if (this.closed || res.destroyed) return;
    let text = answer.body;
    if (faults.malformedJson && answer.type === 'json') text = `${text.slice(0, -1)},"_class":}`;
    let body = Buffer.from(text, 'utf8');
    const headers: Record<string, string | string[] | number> = {
      'X-Content-Type-Options': 'nosniff',
      'X-Jenkins': this.version,
      'X-Jenkins-Session': this.session,
      'Content-Type': answer.type === 'json' ? 'application/json;charset=utf-8' : 'text/html;charset=utf-8',
      ...answer.headers,
    };
    if (answer.type === 'json') headers['X-Frame-Options'] = 'deny';
    const accepts = String(req.headers['accept-encoding'] ?? '');
    if (this.options.gzip !== false && /\bgzip\b/i.test(accepts) && body.length > 0) {
      body = gzipSync(body);
      headers['Content-Encoding'] = 'gzip';
      headers.Vary = 'Accept-Encoding';
    }
    headers['Content-Length'] = body.length;
    res.writeHead(answer.status, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    if (faults.truncate) {
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
      return;
    }
    res.end(body);
  }
}

/**
 * Start a simulated Jenkins on a real HTTP port.
 *
 * @example
 * ```ts
 * const sim = await startJenkinsSimulator({ generate: { folders: 300, depth: 3, jobsPerFolder: 20 } });
 * const res = await fetch(`${sim.url}api/json?tree=jobs[name,color,jobs[name,color]]`);
 * await sim.close();
 * ```
 */
export async function startJenkinsSimulator(options: JenkinsSimulatorOptions = {}): Promise<JenkinsSimulator> {
  const sim = new Simulator(options);
  await sim.listen();
  return sim;
}
