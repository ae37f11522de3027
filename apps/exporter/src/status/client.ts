/**
 * The status page's script, run by the browser (served at /status/client.js): it polls
 * `/api/status` and redraws the table with the same renderer the server used. No framework, no
 * asset from anywhere but the exporter. Only the few DOM members used here are typed, so this
 * file compiles with the rest of the app (which has no DOM typings).
 */
import { renderFacts, renderProbes, renderRows, renderSummary, type StatusSnapshot } from './render.js';

interface PageElement {
  innerHTML: string;
  textContent: string | null;
  readonly id: string;
  hidden: boolean;
  readonly dataset: Record<string, string | undefined>;
  readonly classList: { toggle(name: string, force: boolean): void };
  focus(): void;
}

interface PageDocument {
  getElementById(id: string): PageElement | null;
  readonly activeElement: PageElement | null;
  readonly body: PageElement;
  readonly visibilityState: string;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
}

const doc = (globalThis as unknown as { document: PageDocument }).document;
const options = { utc: false };
const everyMs = Math.max(500, Number(doc.body.dataset.refreshMs ?? '2000') || 2000);
let timer: ReturnType<typeof setTimeout> | undefined;

function set(id: string, apply: (el: PageElement) => void): void {
  const el = doc.getElementById(id);
  if (el !== null) apply(el);
}

function draw(snapshot: StatusSnapshot): void {
  // Redrawing replaces the rows: put keyboard focus back on the same link afterwards.
  const focused = doc.activeElement?.id ?? '';
  const rows = renderRows(snapshot, options);
  set('rows', (el) => {
    if (el.innerHTML !== rows) el.innerHTML = rows;
  });
  const summary = renderSummary(snapshot);
  set('summary', (el) => {
    if (el.textContent !== summary) el.textContent = summary;
  });
  const probes = renderProbes(snapshot, options);
  set('probes', (el) => {
    if (el.innerHTML !== probes) el.innerHTML = probes;
  });
  set('facts', (el) => {
    el.innerHTML = renderFacts(snapshot);
  });
  set('updated', (el) => {
    const d = new Date();
    el.textContent = `Updated ${[d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':')}`;
  });
  set('offline', (el) => {
    el.hidden = true;
  });
  set('instances', (el) => el.classList.toggle('stale', false));
  if (focused !== '' && doc.activeElement?.id !== focused) doc.getElementById(focused)?.focus();
}

function offline(why: string): void {
  set('offline', (el) => {
    el.textContent = `Cannot reach the exporter (${why}); retrying every ${everyMs / 1000} s. The table shows the last state seen.`;
    el.hidden = false;
  });
  set('instances', (el) => el.classList.toggle('stale', true));
}

async function poll(): Promise<void> {
  clearTimeout(timer);
  try {
    const response = await fetch('api/status', { headers: { accept: 'application/json' }, cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    draw((await response.json()) as StatusSnapshot);
  } catch (err) {
    offline(err instanceof Error ? err.message : String(err));
  }
  if (doc.visibilityState !== 'hidden') timer = setTimeout(() => void poll(), everyMs);
}

doc.addEventListener('visibilitychange', () => {
  if (doc.visibilityState === 'visible') void poll();
});
doc.body.dataset.live = 'true';
void poll();
