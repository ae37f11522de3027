/**
 * The HTTP server: its lifecycle, the calls a test makes on it, and the handling of one request
 * (request log, faults, then auth, crumbs and routing from their own modules).
 *
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { authenticate, checkCrumb } from './auth.js';
import type { QueueEntry, SimContext } from './beans/model.js';
import { rawEncode } from './encode.js';
import { jettyErrorPage, loginPage, oopsPage } from './html.js';
import type { JenkinsSimulator, JenkinsSimulatorOptions, SimFaults, SimRequest } from './options.js';
import { type Answer, send } from './respond.js';
import { route, type Site } from './routes.js';
import { checkComputers, DEFAULT_COMPUTERS, initialItems, normalizePrefix, normalizeQueue } from './seed.js';
import { Store } from './store.js';
import type { BallColor, SimBuild, SimComputer, SimItem, SimQueueItem, SimStats } from './types.js';

export type { JenkinsSimulator, JenkinsSimulatorOptions, SimAuth, SimFaults, SimRequest } from './options.js';

/** One simulated Jenkins: its HTTP server, state and request log. */
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

    const auth = authenticate(this.options.auth, this.prefix, req, path);
    if ('status' in auth) {
      this.send(req, res, auth, faults);
      return;
    }
    record.user = auth.user;

    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      const csrf = checkCrumb(this.options.crumbs ?? false, this.crumb, req, auth.user, url.pathname);
      if (csrf) {
        this.send(req, res, csrf, faults);
        return;
      }
    }
    this.send(req, res, route(this.site, path, url.searchParams, url.pathname), faults);
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

  /** What the routes read: this simulator as it is now. */
  private get site(): Site {
    return {
      version: this.version,
      store: this.store,
      queue: this.queueEntries,
      computers: this.nodes,
      crumbs: this.options.crumbs ?? false,
      crumb: this.crumb,
      context: () => this.context(),
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

  private send(req: IncomingMessage, res: ServerResponse, answer: Answer, faults: SimFaults): void {
    if (this.closed || res.destroyed) return;
    send(req, res, answer, faults, { version: this.version, session: this.session, gzip: this.options.gzip !== false });
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
