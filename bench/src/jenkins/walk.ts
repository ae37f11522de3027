import got, { type Got } from 'got';

/** The fields the per-folder walk reads of each item, as api4jenkins' `iter_jobs` does. */
const FIELDS = 'jobs[name,_class,url,color]';
const CONTAINER = /Folder$|MultiBranchProject$|OrganizationFolder$/;

interface RawItem {
  _class?: string;
  name?: string;
  url?: string;
  color?: string;
}

/**
 * The baseline: walk the job tree the way api4jenkins' `iter_jobs(depth)` does — one request for
 * the root, then one more for every folder found, each answering only its direct children.
 * Returns the number of jobs seen (folders excluded).
 */
export async function walkPerFolder(baseUrl: string, options: { concurrency: number; http?: Got }): Promise<{ jobs: number; requests: number }> {
  const http = options.http ?? got.extend({ retry: { limit: 0 }, timeout: { request: 60_000 } });
  let jobs = 0;
  let requests = 0;
  const queue: string[] = [baseUrl];
  const visit = async (url: string) => {
    requests++;
    const body = await http.get(`${url}api/json`, { searchParams: { tree: FIELDS } }).json<{ jobs?: RawItem[] }>();
    for (const item of body.jobs ?? []) {
      if (CONTAINER.test(item._class ?? '')) {
        if (item.url !== undefined) queue.push(item.url);
      } else jobs++;
    }
  };
  // Up to `concurrency` folders are read at once, as earlier answers reveal them; with
  // concurrency 1 this is api4jenkins' plain walk.
  const running = new Set<Promise<void>>();
  while (queue.length > 0 || running.size > 0) {
    while (queue.length > 0 && running.size < options.concurrency) {
      const p: Promise<void> = visit(queue.shift() as string).finally(() => running.delete(p));
      running.add(p);
    }
    if (running.size > 0) await Promise.race(running);
  }
  return { jobs, requests };
}
