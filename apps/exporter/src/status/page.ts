import { escapeHtml, renderFacts, renderProbes, renderRows, renderSummary, type StatusSnapshot } from './render.js';

/** How often the page's script polls `/api/status`, in milliseconds. */
export const REFRESH_MS = 2000;

/**
 * The status page at `/`: rendered in full by the server (it reads well without JavaScript), then
 * kept current by /status/client.js, which polls `/api/status` and redraws with the same renderer.
 */
export function renderStatusPage(snapshot: StatusSnapshot): string {
  const metrics = escapeHtml(snapshot.metricsPath);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>muster status</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/status/style.css">
<script type="module" src="/status/client.js"></script>
<noscript><meta http-equiv="refresh" content="30"></noscript>
</head>
<body data-refresh-ms="${REFRESH_MS}">
<header>
<h1>muster</h1>
<div id="facts">${renderFacts(snapshot)}</div>
<nav aria-label="Endpoints"><ul>
<li><a href="${metrics}">${metrics}</a> (all series)</li>
<li><a href="/healthz">/healthz</a></li>
<li><a href="/readyz">/readyz</a></li>
<li><a href="/api/status">/api/status</a> (this page as JSON)</li>
</ul></nav>
</header>
<main>
<div class="status-line">
<p id="summary" role="status" aria-live="polite">${escapeHtml(renderSummary(snapshot))}</p>
<p id="updated">Rendered by the server</p>
</div>
<p id="offline" class="offline" role="alert" hidden></p>
<div class="table-wrap">
<table id="instances">
<caption>Configured instances: the result of each one's last cycle, and its recent cycles</caption>
<thead><tr>
<th scope="col">Instance</th><th scope="col">Labels</th><th scope="col">Plugin</th><th scope="col">Schedule</th>
<th scope="col">State</th><th scope="col">Failure reason</th><th scope="col">Last cycle</th><th scope="col">Duration</th>
<th scope="col">Next run</th><th scope="col">Series</th><th scope="col">Last ${snapshot.historySize} cycles</th><th scope="col">Exposition</th>
</tr></thead>
<tbody id="rows">
${renderRows(snapshot, { utc: true })}
</tbody>
</table>
</div>
<section id="probes" aria-label="Recent probes">${renderProbes(snapshot, { utc: true })}</section>
<p class="legend">Recent cycles: a bar rising above the line is a successful cycle, as tall as its duration relative to the
longest shown; a red bar below the line is a failed one. Hover a bar for its time, outcome and duration.
Each <em>series</em> link is that instance's own slice of the exposition, <code>${metrics}?collector=NAME</code>.</p>
</main>
<footer><p>Refreshes every ${REFRESH_MS / 1000} s while the page is visible. Config values are never shown here; error text has secrets redacted.</p></footer>
</body>
</html>
`;
}
