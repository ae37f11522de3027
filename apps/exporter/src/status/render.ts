/**
 * The status page's markup, as pure functions of a {@link StatusSnapshot}. The server renders the
 * first page with them, and the browser imports this very module (served at /status/render.js)
 * to redraw from `/api/status`: one renderer, so both always agree. No Node.js or DOM APIs here.
 */

/** One finished cycle, as `/api/status` reports it. */
export interface CycleStatus {
  /** Unix milliseconds of the cycle's start. */
  readonly startedAt: number;
  readonly durationSeconds: number;
  readonly result: 'success' | 'failure';
  readonly reason?: string;
}

/** How an instance is doing. */
export type InstanceState = 'up' | 'down' | 'pending';

/** The backend's own verdict from the last cycle, as the plugin stated it. */
export interface TargetStatus {
  readonly healthy: boolean;
  /** Why it is unhealthy (`status-503`); null while healthy. */
  readonly reason: string | null;
}

/** One instance in `/api/status`: health and plan fields only, never its config. */
export interface InstanceStatus {
  readonly name: string;
  readonly plugin: string;
  readonly schedule: string;
  readonly onScrape: boolean;
  readonly timeoutMs: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly state: InstanceState;
  /** The bounded failure reason while down. */
  readonly reason: string | null;
  /** The backend's verdict; null when the plugin states none (or the cycle failed on muster's side). */
  readonly target?: TargetStatus | null;
  /** One line about the last failure, secrets redacted. */
  readonly error: string | null;
  /** True while a cycle runs. */
  readonly running: boolean;
  /**
   * Unix milliseconds since which a collect() has run past its deadline, ignoring its abort
   * signal: it holds the instance's only cycle slot (new runs fail with reason overrun).
   */
  readonly overrunSince?: number | null;
  readonly lastRunAt: number | null;
  readonly lastDurationSeconds: number | null;
  readonly lastSuccessAt: number | null;
  readonly nextRunAt: number | null;
  readonly consecutiveFailures: number;
  readonly series: number;
  readonly runs: { readonly success: number; readonly failure: number; readonly skipped: number };
  /** The last cycles, oldest first. */
  readonly history: readonly CycleStatus[];
  /** This instance's slice of the exposition. */
  readonly metricsUrl: string;
}

/** One probe in `/api/status` (a target's URL is shown without its user and password). */
export interface ProbeStatus {
  readonly at: number;
  readonly target: string;
  readonly success: boolean;
  readonly reason: string | null;
  readonly durationSeconds: number;
}

/** One module of `modules:` in `/api/status`: its kept targets, totals and last probes (newest first). */
export interface ModuleStatus {
  readonly name: string;
  readonly plugin: string;
  readonly targets: number;
  readonly probes: { readonly success: number; readonly failure: number };
  readonly recent: readonly ProbeStatus[];
}

/** What `GET /api/status` answers. */
export interface StatusSnapshot {
  readonly version: string;
  readonly node: string;
  /** Unix milliseconds when the exporter started. */
  readonly startedAt: number;
  /** Unix milliseconds when this snapshot was taken (the server's clock). */
  readonly now: number;
  /** The config file in force. */
  readonly config: string | null;
  readonly metricsPath: string;
  readonly ready: boolean;
  /** Cycles kept per instance. */
  readonly historySize: number;
  readonly instances: readonly InstanceStatus[];
  /** The modules of `/probe`, when the config has any. */
  readonly modules?: readonly ModuleStatus[];
}

/** How to write times: the server writes UTC; the browser writes local time. */
export interface RenderOptions {
  readonly utc: boolean;
}

/** Escapes text for HTML text and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `1.2 ms`, `340 ms`, `2.50 s`. */
export function formatDuration(seconds: number): string {
  if (seconds < 0.001) return `${(seconds * 1000).toFixed(2)} ms`;
  if (seconds < 1) return `${(seconds * 1000).toFixed(seconds < 0.01 ? 1 : 0)} ms`;
  return `${seconds.toFixed(2)} s`;
}

/** `42s`, `5m 3s`, `2h 10m`, `3d 4h`. */
export function formatSpan(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `14:03:27` (local) or `14:03:27 UTC`. */
export function formatClock(ms: number, options: RenderOptions): string {
  const d = new Date(ms);
  if (options.utc) return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

const STATE_TEXT: Readonly<Record<InstanceState, string>> = { up: 'up', down: 'down', pending: 'pending' };
const STATE_MARK: Readonly<Record<InstanceState, string>> = { up: '●', down: '✕', pending: '…' };

function stateCell(i: InstanceStatus): string {
  const note =
    i.overrunSince != null
      ? ' <span class="note">a cycle runs past its deadline, holding the slot (overrun)</span>'
      : i.running
        ? ' <span class="note">running…</span>'
        : i.state === 'pending' && i.onScrape ? ' <span class="note">runs when scraped</span>' : '';
  return `<td class="state">${verdictBadge(i)}<span class="badge ${i.state}"><span aria-hidden="true">${STATE_MARK[i.state]}</span> collector ${STATE_TEXT[i.state]}</span>${note}</td>`;
}

/** True when the instance's backend said it is unhealthy. */
export function backendUnhealthy(i: InstanceStatus): boolean {
  return i.target != null && !i.target.healthy;
}

/** The backend's verdict, shown first: what an operator opening the page looks for. */
function verdictBadge(i: InstanceStatus): string {
  if (i.target == null) return '';
  if (i.target.healthy) return '<span class="badge verdict healthy"><span aria-hidden="true">●</span> backend healthy</span> ';
  return `<span class="badge verdict unhealthy"><span aria-hidden="true">✕</span> backend unhealthy: <code>${escapeHtml(i.target.reason ?? 'unstated')}</code></span> `;
}

function reasonCell(i: InstanceStatus): string {
  if (i.state !== 'down') return '<td class="reason">–</td>';
  const streak = i.consecutiveFailures > 1 ? ` <span class="streak">${i.consecutiveFailures} failures in a row</span>` : '';
  const error = i.error === null ? '' : `<div class="error">${escapeHtml(i.error)}</div>`;
  return `<td class="reason"><code>${escapeHtml(i.reason ?? 'error')}</code>${streak}${error}</td>`;
}

function lastCycleCell(i: InstanceStatus, now: number, options: RenderOptions): string {
  if (i.lastRunAt === null) return '<td class="last">never</td>';
  const iso = new Date(i.lastRunAt).toISOString();
  return `<td class="last"><time datetime="${iso}">${formatClock(i.lastRunAt, options)}</time> <span class="age">${formatSpan(now - i.lastRunAt)} ago</span></td>`;
}

function nextRunCell(i: InstanceStatus, now: number): string {
  if (i.onScrape) return '<td class="next">on scrape</td>';
  if (i.nextRunAt === null) return '<td class="next">–</td>';
  const inMs = i.nextRunAt - now;
  return `<td class="next">${inMs <= 0 ? 'now' : `in ${formatSpan(inMs)}`}</td>`;
}

function labelsCell(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '<td class="labels">–</td>';
  return `<td class="labels">${entries.map(([k, v]) => `<code class="label">${escapeHtml(k)}=${escapeHtml(v)}</code>`).join(' ')}</td>`;
}

/** Bar chart geometry. */
const BAR_WIDTH = 4;
const BAR_GAP = 1;
const CHART_HEIGHT = 28;
const BASELINE = 18;

/**
 * The last cycles as an inline SVG: successes rise above the baseline with their duration,
 * failures hang below it in red, so outcome is told by shape as well as color. Each bar has a
 * `<title>`; the whole chart has a text summary for screen readers.
 */
export function renderHistoryChart(i: InstanceStatus, slots: number, options: RenderOptions): string {
  const cycles = i.history.slice(-slots);
  if (cycles.length === 0) return '<span class="no-history">no cycle yet</span>';
  const longest = Math.max(...cycles.map((c) => c.durationSeconds), 1e-6);
  const failed = cycles.filter((c) => c.result === 'failure').length;
  const summary = `Last ${cycles.length} cycle${cycles.length === 1 ? '' : 's'}: ${cycles.length - failed} succeeded, ${failed} failed; longest ${formatDuration(longest)}`;
  const width = slots * (BAR_WIDTH + BAR_GAP);
  const offset = (slots - cycles.length) * (BAR_WIDTH + BAR_GAP);
  const bars = cycles
    .map((c, n) => {
      const x = offset + n * (BAR_WIDTH + BAR_GAP);
      const title = `${formatClock(c.startedAt, options)}: ${c.result === 'success' ? 'success' : `failure (${c.reason ?? 'error'})`}, ${formatDuration(c.durationSeconds)}`;
      if (c.result === 'success') {
        const h = Math.max(2, Math.round((c.durationSeconds / longest) * (BASELINE - 1)));
        return `<rect class="ok" x="${x}" y="${BASELINE - h}" width="${BAR_WIDTH}" height="${h}"><title>${escapeHtml(title)}</title></rect>`;
      }
      return `<rect class="fail" x="${x}" y="${BASELINE + 1}" width="${BAR_WIDTH}" height="${CHART_HEIGHT - BASELINE - 1}"><title>${escapeHtml(title)}</title></rect>`;
    })
    .join('');
  return `<svg class="chart" role="img" aria-label="${escapeHtml(summary)}" width="${width}" height="${CHART_HEIGHT}" viewBox="0 0 ${width} ${CHART_HEIGHT}"><line class="baseline" x1="0" y1="${BASELINE + 0.5}" x2="${width}" y2="${BASELINE + 0.5}"/>${bars}</svg>`;
}

/** The id of an instance's row (names are letters, digits, `_`, `.`, `-`). */
export function rowId(name: string): string {
  return `instance-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** One `<tr>` per instance. */
export function renderRows(snapshot: StatusSnapshot, options: RenderOptions): string {
  if (snapshot.instances.length === 0) {
    return '<tr><td colspan="12" class="empty">No instances are configured: add entries under <code>plugins:</code> in the config file.</td></tr>';
  }
  const now = snapshot.now;
  return snapshot.instances
    .map((i) => {
      const duration = i.lastDurationSeconds === null ? '–' : formatDuration(i.lastDurationSeconds);
      const backend = i.target == null ? 'unknown' : i.target.healthy ? 'healthy' : 'unhealthy';
      return `<tr id="${rowId(i.name)}" class="${i.state}${backend === 'unhealthy' ? ' backend-unhealthy' : ''}" data-instance="${escapeHtml(i.name)}" data-state="${i.state}" data-backend="${backend}">
<th scope="row">${escapeHtml(i.name)}</th>
${labelsCell(i.labels)}
<td>${escapeHtml(i.plugin)}</td>
<td><code>${escapeHtml(i.schedule)}</code></td>
${stateCell(i)}
${reasonCell(i)}
${lastCycleCell(i, now, options)}
<td class="num">${duration}</td>
${nextRunCell(i, now)}
<td class="num">${i.series}</td>
<td class="history">${renderHistoryChart(i, snapshot.historySize, options)}</td>
<td><a id="${rowId(i.name)}-link" href="${escapeHtml(i.metricsUrl)}">series</a></td>
</tr>`;
    })
    .join('\n');
}

/** The one-line summary above the table (also announced to screen readers when it changes). */
export function renderSummary(snapshot: StatusSnapshot): string {
  const count = (state: InstanceState) => snapshot.instances.filter((i) => i.state === state).length;
  const up = count('up');
  const down = count('down');
  const pending = count('pending');
  const parts = [`${snapshot.instances.length} instance${snapshot.instances.length === 1 ? '' : 's'}`, `${up} up`, `${down} down`];
  if (pending > 0) parts.push(`${pending} pending`);
  const sick = snapshot.instances.filter(backendUnhealthy).length;
  const backends = sick > 0 ? `${sick} backend${sick === 1 ? '' : 's'} unhealthy · ` : '';
  return `${backends}${parts.join(', ')}${snapshot.ready ? '' : ' · not ready yet (first cycles running)'}`;
}

/** Version, uptime and config file. */
export function renderFacts(snapshot: StatusSnapshot): string {
  return `<dl class="facts">
<div><dt>Version</dt><dd>muster ${escapeHtml(snapshot.version)} on Node.js ${escapeHtml(snapshot.node)}</dd></div>
<div><dt>Uptime</dt><dd>${formatSpan(snapshot.now - snapshot.startedAt)}</dd></div>
<div><dt>Config</dt><dd><code>${escapeHtml(snapshot.config ?? '(none)')}</code></dd></div>
</dl>`;
}

/** The recent probes of each module, as blackbox_exporter lists them; empty without modules. */
export function renderProbes(snapshot: StatusSnapshot, options: RenderOptions): string {
  const modules = snapshot.modules ?? [];
  if (modules.length === 0) return '';
  return modules
    .map((m) => {
      const rows = m.recent
        .map(
          (p) => `<tr class="${p.success ? 'up' : 'down'}" data-success="${p.success}">
<td><time datetime="${new Date(p.at).toISOString()}">${formatClock(p.at, options)}</time></td>
<td><code>${escapeHtml(p.target)}</code></td>
<td><span class="badge ${p.success ? 'up' : 'down'}">${p.success ? 'success' : 'failure'}</span>${p.reason === null ? '' : ` <code>${escapeHtml(p.reason)}</code>`}</td>
<td class="num">${formatDuration(p.durationSeconds)}</td>
</tr>`,
        )
        .join('\n');
      const empty = '<tr><td colspan="4" class="empty">No probe yet.</td></tr>';
      return `<table class="probes" id="module-${m.name.replace(/[^A-Za-z0-9_-]/g, '_')}" data-module="${escapeHtml(m.name)}">
<caption>Module <code>${escapeHtml(m.name)}</code> (${escapeHtml(m.plugin)}): ${m.probes.success} succeeded, ${m.probes.failure} failed, ${m.targets} target${m.targets === 1 ? '' : 's'} kept; last probes, newest first</caption>
<thead><tr><th scope="col">Time</th><th scope="col">Target</th><th scope="col">Result</th><th scope="col">Duration</th></tr></thead>
<tbody>${rows === '' ? empty : rows}</tbody>
</table>`;
    })
    .join('\n');
}
