import got, { type Got } from 'got';
import { type ItemKind, kindOf } from './classes.js';
import { JenkinsError } from './errors.js';
import { getJson } from './request.js';
import { jobTreeQuery } from './tree-query.js';

/** How to reach a Jenkins. */
export interface JenkinsOptions {
  /** Base URL, with any path prefix: `https://ci.example.com/jenkins/`. */
  readonly url: string;
  readonly username?: string | undefined;
  /** An API token (preferred) … */
  readonly token?: string | undefined;
  /** … or a password. */
  readonly password?: string | undefined;
  /** PEM CA certificate(s) to trust instead of the system's. */
  readonly ca?: string | undefined;
  readonly insecureSkipVerify?: boolean | undefined;
  /** Per-request timeout in milliseconds (default 10 s). */
  readonly timeoutMs?: number | undefined;
  /** The same as `timeoutMs` (api4jenkins' name); `timeoutMs` wins when both are set. */
  readonly timeout?: number | undefined;
  /** Largest answer read, in bytes (default 64 MiB). */
  readonly maxBodyBytes?: number | undefined;
  readonly userAgent?: string | undefined;
  /** A got instance to build on (its hooks and agents are kept). */
  readonly http?: Got | undefined;
}

/** The last build of a job, when asked for. */
export interface BuildSummary {
  readonly number: number;
  /** `SUCCESS`, `FAILURE`, `UNSTABLE`, `ABORTED`, `NOT_BUILT`, or null while running. */
  readonly result: string | null;
  /** Milliseconds; 0 while running. */
  readonly duration: number;
  /** Start time, Unix milliseconds. */
  readonly timestamp: number;
}

/** One item of the job tree. */
export interface JenkinsItem {
  readonly name: string;
  /** Names from the root joined by `/`: `team/service/main`. */
  readonly fullName: string;
  /** The `fullName` of the folder holding it; `''` at the root. */
  readonly parent: string;
  /** 1 for top-level items. */
  readonly depth: number;
  readonly className: string;
  readonly kind: ItemKind;
  /** Jobs only: the ball color (`blue`, `red_anime`…). */
  readonly color: string | undefined;
  readonly url: string | undefined;
  readonly lastBuild: BuildSummary | null | undefined;
}

/** What one read of the job tree returns. */
export interface JobTree {
  readonly items: JenkinsItem[];
  /** From the `X-Jenkins` header of the same answer. */
  readonly version: string | undefined;
  /** Bytes of the answer. */
  readonly bytes: number;
}

/** A queued item. */
export interface QueueItem {
  readonly id: number;
  readonly stuck: boolean;
  readonly blocked: boolean;
  readonly buildable: boolean;
  readonly inQueueSince: number | undefined;
  readonly why: string | undefined;
  readonly taskName: string | undefined;
}

/** A node (the built-in node or an agent). */
export interface ComputerInfo {
  readonly name: string;
  readonly offline: boolean;
  readonly temporarilyOffline: boolean;
  readonly idle: boolean;
  readonly executors: number;
}

/** Nodes and executors. */
export interface Computers {
  readonly busyExecutors: number;
  readonly totalExecutors: number;
  readonly nodes: ComputerInfo[];
}

interface RawItem {
  _class?: string;
  name?: string;
  url?: string;
  color?: string;
  jobs?: RawItem[];
  lastBuild?: { number?: number; result?: string | null; duration?: number; timestamp?: number } | null;
}

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new JenkinsError('malformed-json', `${what}: expected a JSON object, found ${Array.isArray(value) ? 'an array' : typeof value}`);
  }
  return value as Record<string, unknown>;
}

/**
 * A small Jenkins REST client. Every read is one GET with a `tree=` selection (never `depth=`),
 * honours an `AbortSignal`, and fails with a {@link JenkinsError} of a bounded kind.
 */
export class Jenkins {
  readonly baseUrl: string;
  readonly #http: Got;
  readonly #maxBytes: number;

  constructor(options: JenkinsOptions) {
    let base: URL;
    try {
      base = new URL(options.url);
    } catch {
      throw new TypeError('Jenkins url must be an absolute http(s) URL');
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new TypeError('Jenkins url must use http or https');
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    base.username = '';
    base.password = '';
    this.baseUrl = base.href;
    this.#maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_BYTES;
    const secret = options.token ?? options.password;
    this.#http = (options.http ?? got).extend({
      retry: { limit: 0 },
      timeout: { request: options.timeoutMs ?? options.timeout ?? 10_000 },
      followRedirect: true,
      ...(options.username !== undefined && secret !== undefined ? { username: options.username, password: secret } : {}),
      headers: { 'user-agent': options.userAgent ?? 'muster-jenkins-client' },
      https: {
        rejectUnauthorized: options.insecureSkipVerify !== true,
        ...(options.ca === undefined ? {} : { certificateAuthority: options.ca }),
      },
    });
  }

  #url(path: string, tree?: string): string {
    const url = new URL(path, this.baseUrl);
    if (tree !== undefined) url.searchParams.set('tree', tree);
    return url.href;
  }

  /**
   * Reads every job, folder, multibranch project and organization folder to `maxDepth` levels of
   * nesting in one request. `lastBuild` adds each job's last build.
   */
  async jobTree(options: { maxDepth?: number; lastBuild?: boolean; signal?: AbortSignal } = {}): Promise<JobTree> {
    const maxDepth = options.maxDepth ?? 10;
    const answer = await getJson(this.#http, this.#url('api/json', jobTreeQuery(maxDepth, { lastBuild: options.lastBuild ?? false })), {
      signal: options.signal,
      maxBytes: this.#maxBytes,
      what: 'job tree',
    });
    const root = asRecord(answer.body, 'job tree');
    if (root.jobs !== undefined && !Array.isArray(root.jobs)) {
      throw new JenkinsError('malformed-json', 'job tree: expected "jobs" to be an array');
    }
    const items: JenkinsItem[] = [];
    const walk = (list: RawItem[], parent: string, depth: number) => {
      for (const raw of list) {
        if (raw === null || typeof raw !== 'object' || typeof raw.name !== 'string') continue;
        const fullName = parent === '' ? raw.name : `${parent}/${raw.name}`;
        const hasJobs = Array.isArray(raw.jobs);
        const kind = kindOf(raw._class, hasJobs);
        const lb = raw.lastBuild;
        items.push({
          name: raw.name,
          fullName,
          parent,
          depth,
          className: raw._class ?? '',
          kind,
          color: kind === 'job' && typeof raw.color === 'string' ? raw.color : undefined,
          url: raw.url,
          lastBuild:
            lb === undefined
              ? undefined
              : lb === null
                ? null
                : { number: lb.number ?? 0, result: lb.result ?? null, duration: lb.duration ?? 0, timestamp: lb.timestamp ?? 0 },
        });
        if (hasJobs) walk(raw.jobs as RawItem[], fullName, depth + 1);
      }
    };
    walk((root.jobs as RawItem[] | undefined) ?? [], '', 1);
    return { items, version: headerValue(answer.headers['x-jenkins']), bytes: answer.bytes };
  }

  /** Yields every item of the job tree (read in one request), parents before children. */
  async *iterJobs(options: { maxDepth?: number; lastBuild?: boolean; signal?: AbortSignal } = {}): AsyncGenerator<JenkinsItem> {
    yield* (await this.jobTree(options)).items;
  }

  /** The build queue. */
  async queue(options: { signal?: AbortSignal } = {}): Promise<QueueItem[]> {
    const answer = await getJson(this.#http, this.#url('queue/api/json', 'items[id,stuck,blocked,buildable,inQueueSince,why,task[name]]'), {
      signal: options.signal,
      maxBytes: this.#maxBytes,
      what: 'queue',
    });
    const body = asRecord(answer.body, 'queue');
    const raw = Array.isArray(body.items) ? (body.items as Record<string, unknown>[]) : [];
    return raw.map((i) => ({
      id: Number(i.id ?? 0),
      stuck: i.stuck === true,
      blocked: i.blocked === true,
      buildable: i.buildable === true,
      inQueueSince: typeof i.inQueueSince === 'number' ? i.inQueueSince : undefined,
      why: typeof i.why === 'string' ? i.why : undefined,
      taskName: typeof (i.task as { name?: unknown } | undefined)?.name === 'string' ? (i.task as { name: string }).name : undefined,
    }));
  }

  /** Nodes with their executors. */
  async computers(options: { signal?: AbortSignal } = {}): Promise<Computers> {
    const answer = await getJson(
      this.#http,
      this.#url('computer/api/json', 'busyExecutors,totalExecutors,computer[displayName,offline,temporarilyOffline,idle,numExecutors]'),
      { signal: options.signal, maxBytes: this.#maxBytes, what: 'computers' },
    );
    const body = asRecord(answer.body, 'computers');
    const raw = Array.isArray(body.computer) ? (body.computer as Record<string, unknown>[]) : [];
    return {
      busyExecutors: Number(body.busyExecutors ?? 0),
      totalExecutors: Number(body.totalExecutors ?? 0),
      nodes: raw.map((c) => ({
        name: String(c.displayName ?? ''),
        offline: c.offline === true,
        temporarilyOffline: c.temporarilyOffline === true,
        idle: c.idle === true,
        executors: Number(c.numExecutors ?? 0),
      })),
    };
  }

  /** The Jenkins version, from the `X-Jenkins` header of a minimal request. */
  async version(options: { signal?: AbortSignal } = {}): Promise<string | undefined> {
    const answer = await getJson(this.#http, this.#url('api/json', 'mode'), {
      signal: options.signal,
      maxBytes: this.#maxBytes,
      what: 'version',
    });
    return headerValue(answer.headers['x-jenkins']);
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v === undefined || v === '' ? undefined : v;
}
