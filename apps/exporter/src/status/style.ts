/**
 * The status page's stylesheet (served at /status/style.css). Every text color was picked for a
 * contrast of at least 4.5:1 against its background (WCAG AA); states are told by text and a
 * mark as well as by color.
 */
export const STATUS_CSS = `:root { color-scheme: light; --text: #1b1f24; --muted: #4a5361; --line: #c9ced6; --head: #eef1f5; --link: #0b57d0;
  --up-text: #0b5c1f; --up-bg: #e3f4e8; --down-text: #ffffff; --down-bg: #b3261e; --down-row: #fdf0ef; --down-note: #7a1a14;
  --pending-text: #5c4400; --pending-bg: #fff1c2; --ok-bar: #2e7d32; --fail-bar: #c62828; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: var(--text); background: #ffffff; }
header, main, footer { padding: 0 1.5rem; }
header { border-bottom: 1px solid var(--line); padding-top: 1rem; padding-bottom: .75rem; }
h1 { font-size: 1.4rem; margin: 0 0 .4rem; }
a { color: var(--link); }
a:focus-visible, button:focus-visible { outline: 3px solid #1a1a1a; outline-offset: 2px; }
code { font: .9em/1.3 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.facts { display: flex; flex-wrap: wrap; gap: .3rem 1.6rem; margin: 0; }
.facts div { display: flex; gap: .4rem; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .3rem 1rem; padding: 0; margin: .5rem 0 0; }
.status-line { display: flex; flex-wrap: wrap; gap: .5rem 1.2rem; align-items: baseline; margin: 1rem 0 .5rem; }
#summary { font-weight: 600; }
#updated { color: var(--muted); font-size: .9em; }
.offline { border: 2px solid var(--down-bg); background: var(--down-row); color: var(--down-note); padding: .5rem .8rem; margin: .5rem 0; font-weight: 600; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
table.stale caption::after { content: " (the last state seen)"; font-weight: 400; }
caption { text-align: left; font-weight: 600; padding: .4rem 0; }
th, td { padding: .45rem .5rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { background: var(--head); font-weight: 600; white-space: nowrap; }
tbody th { font-weight: 600; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.last, td.next { white-space: nowrap; }
.age, .streak { color: var(--muted); font-size: .9em; display: block; }
tr.down, tr.backend-unhealthy { background: var(--down-row); box-shadow: inset 4px 0 0 var(--down-bg); }
.badge.verdict.healthy { color: var(--up-text); background: var(--up-bg); }
.badge.verdict.unhealthy { color: var(--down-text); background: var(--down-bg); }
.badge.verdict.unhealthy code { color: inherit; background: transparent; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: .7rem; font-weight: 600; white-space: nowrap; }
.badge.up { color: var(--up-text); background: var(--up-bg); }
.badge.down { color: var(--down-text); background: var(--down-bg); }
.badge.pending { color: var(--pending-text); background: var(--pending-bg); }
.note { color: var(--muted); font-size: .9em; display: block; }
.reason code { white-space: nowrap; }
.error { color: var(--down-note); font-size: .9em; min-width: 12rem; max-width: 24rem; overflow-wrap: anywhere; }
.label { background: var(--head); padding: 0 .3rem; border-radius: .25rem; white-space: nowrap; }
.chart { display: block; }
.chart .ok { fill: var(--ok-bar); }
.chart .fail { fill: var(--fail-bar); }
.chart .baseline { stroke: #6b7280; stroke-width: 1; }
.no-history { color: var(--muted); font-size: .9em; }
td.empty { color: var(--muted); }
table.probes { margin-top: 1.5rem; }
table.probes tr.down { box-shadow: none; }
.legend { color: var(--muted); font-size: .9em; margin: .6rem 0 1rem; }
footer { color: var(--muted); font-size: .9em; padding-bottom: 1.5rem; }
`;
