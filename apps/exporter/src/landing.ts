import type { Instance, Runtime } from '@muster/core';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function age(ms: number, now: number): string {
  if (ms === 0) return 'never';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  return s < 120 ? `${s}s ago` : `${Math.round(s / 60)}m ago`;
}

function row(instance: Instance, metricsPath: string, now: number): string {
  const h = instance.health;
  const state = !h.settled ? 'pending' : h.up ? 'up' : 'down';
  const result = state === 'down' ? `down (${h.reason ?? 'error'})` : state;
  const link = `${metricsPath}?collector=${encodeURIComponent(instance.name)}`;
  return `<tr class="${state}">
<th scope="row">${escapeHtml(instance.name)}</th>
<td>${escapeHtml(instance.plan.plugin.name)}</td>
<td><code>${escapeHtml(instance.plan.schedule.text)}</code></td>
<td class="state">${escapeHtml(result)}</td>
<td>${escapeHtml(age(h.lastRunAt, now))}</td>
<td>${h.settled ? `${(h.lastDurationSeconds * 1000).toFixed(1)} ms` : '–'}</td>
<td>${h.series}</td>
<td>${h.consecutiveFailures}</td>
<td>${h.lastError === undefined ? '' : escapeHtml(h.lastError)}</td>
<td><a href="${escapeHtml(link)}">series</a></td>
</tr>`;
}

/** The landing page: one row per instance with its schedule, last result and a link to its series. */
export function renderLanding(runtime: Runtime, metricsPath: string, version: string): string {
  const now = Date.now();
  const rows = runtime.instances.map((i) => row(i, metricsPath, now)).join('\n');
  const uptime = Math.round((now - runtime.startedAt) / 1000);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="15">
<title>muster</title>
<style>
body { font: 15px/1.4 system-ui, sans-serif; margin: 2rem; color: #111; background: #fff; }
table { border-collapse: collapse; margin-top: 1rem; }
th, td { padding: .35rem .7rem; border-bottom: 1px solid #ccc; text-align: left; vertical-align: top; }
thead th { background: #f0f0f0; }
tr.up .state { color: #0a5c2b; font-weight: 600; }
tr.down .state { color: #a40000; font-weight: 600; }
tr.pending .state { color: #5c4a00; }
</style>
</head>
<body>
<h1>muster</h1>
<p>Version ${escapeHtml(version)} · up ${uptime}s · config <code>${escapeHtml(runtime.plan?.filepath ?? '')}</code> ·
<a href="${escapeHtml(metricsPath)}">${escapeHtml(metricsPath)}</a> · <a href="/healthz">/healthz</a> · <a href="/readyz">/readyz</a></p>
<table>
<caption>Configured instances</caption>
<thead><tr><th scope="col">Instance</th><th scope="col">Plugin</th><th scope="col">Schedule</th><th scope="col">Last result</th>
<th scope="col">Last run</th><th scope="col">Duration</th><th scope="col">Series</th><th scope="col">Failures in a row</th>
<th scope="col">Last error</th><th scope="col">Exposition</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>
`;
}
