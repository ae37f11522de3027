/**
 * Routing: which bean (or page) a path names, served as `api/json` with `tree=`/`depth=`.
 */
import { buildBean } from './beans/builds.js';
import { computerBean, computerSetBean, computerUrlName } from './beans/computers.js';
import { itemBean, queueBean, queueItemBean } from './beans/items.js';
import type { QueueEntry, SimContext } from './beans/model.js';
import { crumbBean, rootBean } from './beans/root.js';
import { type Bean, DepthPruner, exportBean, NamedPruner, type Pruner, toJenkinsJson } from './export.js';
import { dashboardPage, jettyErrorPage, oopsPage } from './html.js';
import type { Answer } from './respond.js';
import type { Build, ItemNode, Store } from './store.js';
import { parseTree, TreeSyntaxError } from './tree.js';
import type { SimComputer } from './types.js';

/** What the routes read of a running simulator. */
export interface Site {
  readonly version: string;
  readonly store: Store;
  readonly queue: readonly QueueEntry[];
  readonly computers: readonly SimComputer[];
  readonly crumbs: boolean;
  readonly crumb: string;
  /** What the beans read while exporting. */
  context(): SimContext;
}

/** The builds a permalink (`lastBuild`, `lastStableBuild`…) names. */
const BUILD_PERMALINKS: Record<string, (n: ItemNode) => Build | undefined> = {
  lastBuild: (n) => n.builds[0],
  lastCompletedBuild: (n) => n.lastCompletedBuild,
  lastFailedBuild: (n) => n.lastWhere((r) => r === 'FAILURE'),
  lastStableBuild: (n) => n.lastWhere((r) => r === 'SUCCESS'),
  lastSuccessfulBuild: (n) => n.lastWhere((r) => r === 'SUCCESS' || r === 'UNSTABLE'),
  lastUnstableBuild: (n) => n.lastWhere((r) => r === 'UNSTABLE'),
  lastUnsuccessfulBuild: (n) => n.lastWhere((r) => r !== 'SUCCESS'),
};

/** The answer of the JSON API (and the HTML pages around it) to a GET of `path`. */
export function route(site: Site, path: string, params: URLSearchParams, uri: string): Answer {
  const notFound = (): Answer => ({ status: 404, type: 'html', body: jettyErrorPage(404, uri) });
  let segs: string[];
  try {
    segs = path.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return { status: 400, type: 'html', body: jettyErrorPage(400, uri, 'Bad Request') };
  }
  if (segs[segs.length - 1] === '') segs.pop();
  const isApi = (rest: string[]) => rest.length === 2 && rest[0] === 'api' && rest[1] === 'json';

  if (segs.length === 0) return page(site, 'Dashboard');
  if (isApi(segs)) return json(site, rootBean(site.store), params);

  switch (segs[0]) {
    case 'job':
      return routeJob(site, segs, params) ?? notFound();
    case 'queue':
      if (isApi(segs.slice(1))) return json(site, queueBean(site.queue), params);
      if (segs[1] === 'item' && isApi(segs.slice(3))) {
        const q = site.queue.find((e) => String(e.id) === segs[2]);
        return q ? json(site, queueItemBean(q), params) : notFound();
      }
      return notFound();
    case 'computer':
      if (isApi(segs.slice(1))) return json(site, computerSetBean(site.computers), params);
      if (isApi(segs.slice(2))) {
        const c = site.computers.find((n) => computerUrlName(n) === segs[1]);
        return c ? json(site, computerBean(c), params) : notFound();
      }
      return notFound();
    case 'crumbIssuer':
      return site.crumbs && isApi(segs.slice(1)) ? json(site, crumbBean(site.crumb), params) : notFound();
    default:
      return notFound();
  }
}

function routeJob(site: Site, segs: string[], params: URLSearchParams): Answer | undefined {
  const names: string[] = [];
  let i = 0;
  while (segs[i] === 'job' && i + 1 < segs.length) {
    names.push(segs[i + 1]!);
    i += 2;
  }
  const node = site.store.findPath(names);
  if (!node) return undefined;
  const rest = segs.slice(i);
  if (rest.length === 0) return page(site, node.fullDisplayName);
  if (rest.length === 2 && rest[0] === 'api' && rest[1] === 'json') return json(site, itemBean(node), params);
  if (!node.isJob) return undefined;
  const ref = rest[0]!;
  const build = /^[0-9]+$/.test(ref)
    ? node.builds.find((b) => b.number === Number(ref))
    : BUILD_PERMALINKS[ref]?.(node);
  const bean = buildBean(node, build);
  if (!bean) return undefined;
  if (rest.length === 1) return page(site, `${node.fullDisplayName} #${build!.number}`);
  if (rest.length === 3 && rest[1] === 'api' && rest[2] === 'json') return json(site, bean, params);
  return undefined;
}

function page(site: Site, title: string): Answer {
  return { status: 200, type: 'html', body: dashboardPage(title, site.version) };
}

/** Serve a bean as Jenkins' `api/json` does: `tree=` wins over `depth=`; errors are 500s. */
function json(site: Site, bean: Bean, params: URLSearchParams): Answer {
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
  const body = toJenkinsJson(exportBean(bean, pruner, site.context()), params.has('pretty'));
  return { status: 200, type: 'json', body };
}
